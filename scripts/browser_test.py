"""The web UI in a real browser, as its users work with it, against a running `vangnet demo`:

- a consultant logs in, opens the newest case, logs a phone contact, changes the status, saves a
  note of 4,000 characters (and it is there, whole);
- the consultant opens a case with a suggestion (the demo's live feed gives them to cases the
  consultant has called — the test calls each new case it sees; it waits up to --suggestion-timeout
  seconds for one, else says it skipped it and closes the newest case by hand)
  and uses it: the suggested closing status is pre-selected; saving without a note, then without the
  confirmation, brings the page back with an error summary and what was typed kept; with both, the
  case closes;
- a team lead finds the closed case and undoes the closing ("Afsluiting ongedaan maken");
- the consultant refers the case to the province's tender partner with consent (refused first
  without how and by whom, what was typed kept); the partner accepts it in their workspace
- the data steward opens "Bronnen en quarantaine" and reads the quarantined records of its first
  page, each in Dutch (the reason in words, not a code), then links a proposed identity (a record
  quarantined for its INSZ, next to the known person it probably is);
- the auditor opens the audit log and turns to its next page;
- logging out ends the session.

A screenshot of each step goes to --screenshots; the caseload, a case page, the audit page and the
steward page are also shown in a 390 px wide window (a phone), where the page must not scroll
sideways. axe-core 4 (the copy in axe-playwright-python, from PyPI) checks every page visited against WCAG 2.1 A and AA; any
violation fails the test, listed with its rule, impact, element and page. Fails on the first step
that does not do what the user expects."""
import argparse
import base64
import json
import sys
import os
import re
import tempfile
import time

import importlib.util
from selenium import webdriver
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException, TimeoutException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DESKTOP = (1366, 900)
PHONE = (390, 844)
# How many quarantined records the steward reads: the whole first page of the list (50), enough for
# the audit log to have a second page to turn even in a demo without its live feed.
QUARANTINE_READ = 50
# The statuses that close a case (CaseStatus.closed); the open ones are new … reopened.
CLOSING_STATUSES = {"in_work", "in_education", "declined", "unreachable", "unknown", "not_in_target_group", "moved_abroad", "deceased"}


def bundled_axe_script() -> str:
    """axe-core 4 as the PyPI package axe-playwright-python ships it (installed without its
    dependencies: only its copy of axe.min.js is used, injected through Selenium)."""
    spec = importlib.util.find_spec("axe_playwright_python")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("browser test: axe-playwright-python is not installed (scripts/browser-test installs it)")
    return os.path.join(list(spec.submodule_search_locations)[0], "axe.min.js")



def long_note(length: int) -> str:
    """A note of exactly `length` characters: paragraphs of ordinary Dutch, accents included."""
    paragraph = ("Gesprek met de jongere en een ouder op het kantoor in Antwerpen. Zij is geïnteresseerd in een opleiding "
                 "in de zorg of het café-restaurant van haar oom; we overlopen de mogelijkheden bij VDAB en Syntra. "
                 "Afspraak: zij bekijkt de opleidingen en belt terug vóór vrijdag. ")
    text = ""
    n = 1
    while len(text) < length:
        text += f"{n}. {paragraph}\n"
        n += 1
    text = text[:length]
    return text if not text[-1].isspace() else text[:-1] + "."


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--chromium", required=True)
    parser.add_argument("--driver", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--screenshots", required=True)
    parser.add_argument("--axe-script", help="another axe.min.js to inject (default: the one axe-playwright-python ships)")
    parser.add_argument("--suggestion-timeout", type=float, default=120,
                        help="seconds to wait for the live feed to give one of the consultant's cases a suggestion")
    args = parser.parse_args()

    options = webdriver.ChromeOptions()
    options.binary_location = args.chromium
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", f"--window-size={DESKTOP[0]},{DESKTOP[1]}",
                 "--lang=nl-BE", "--hide-scrollbars"):
        options.add_argument(flag)
    browser = webdriver.Chrome(service=Service(executable_path=args.driver), options=options)
    browser.implicitly_wait(5)
    browser.set_script_timeout(30)
    with open(args.axe_script or bundled_axe_script(), encoding="utf-8") as script:
        axe_source = script.read()
    step = 0
    violations: list[str] = []
    pages_checked = 0
    axe_tags: list[str] = []
    skipped: list[str] = []

    def shot(name: str, full_page: bool = False) -> None:
        """The window as the user sees it; or the whole page, top to bottom, at the window's width."""
        nonlocal step
        step += 1
        path = f"{args.screenshots}/{step:02d}-{name}.png"
        if not full_page:
            browser.save_screenshot(path)
            return
        width, height = browser.execute_script(
            "return [window.innerWidth, Math.max(document.documentElement.scrollHeight, document.body.scrollHeight)]")
        picture = browser.execute_cdp_cmd("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True, "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}})
        with open(path, "wb") as file:
            file.write(base64.b64decode(picture["data"]))

    def page_summary() -> str:
        """What the user sees (synthetic demo data only): the title and the start of the main text."""
        try:
            text = " ".join(browser.find_element(By.TAG_NAME, "main").text.split())
        except Exception:
            text = ""
        return f"{browser.current_url} | {browser.title} | {text[:300]}"

    def fail(message: str) -> None:
        shot("failed")
        found = ("\naxe-core violations found before this step:\n" + "\n".join(violations)) if violations else ""
        raise AssertionError(f"{message} (page: {page_summary()}){found}")

    def expect(condition: bool, message: str) -> None:
        if not condition:
            fail(message)

    def wait_for(condition, message: str, timeout: float = 15) -> None:
        """After a click that submits a form, the next page arrives asynchronously: poll for it."""
        try:
            WebDriverWait(browser, timeout, ignored_exceptions=(NoSuchElementException, StaleElementReferenceException)).until(
                lambda b: condition(b))
        except TimeoutException:
            fail(message)

    def submit(button, condition, message: str) -> None:
        """Clicks a form's button and waits for the page that answers it (the old one gone, then `condition`)."""
        browser.execute_script("window.vangnetOldPage = true")
        button.click()
        try:
            # The mark is gone once the browser shows the answer, a new document.
            WebDriverWait(browser, 15, ignored_exceptions=(WebDriverException,)).until(
                lambda b: b.execute_script("return document.readyState === 'complete' && !window.vangnetOldPage"))
        except TimeoutException:
            fail(f"{message}: no new page came")
        wait_for(condition, message)

    def check_accessibility(page: str) -> None:
        """axe-core on the page as it is now; violations are collected and fail the test at the end."""
        nonlocal pages_checked, axe_tags
        if not browser.execute_script("return typeof window.axe !== 'undefined'"):
            browser.execute_script(axe_source)
        if not axe_tags:
            # Run the WCAG tags this axe-core knows (it refuses a tag it does not know), and say which.
            known = set(browser.execute_script("return [].concat(...axe.getRules().map(r => r.tags))"))
            axe_tags = [tag for tag in WCAG_TAGS if tag in known]
            version = browser.execute_script("return axe.version")
            missing = [tag for tag in WCAG_TAGS if tag not in known]
            print(f"axe-core {version}: rules tagged {', '.join(axe_tags)}"
                  + (f" (this version has no rules tagged {', '.join(missing)})" if missing else ""))
        result = browser.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})"
            ".then(r => done(JSON.stringify(r.violations)), e => done(JSON.stringify({error: String(e)})));", axe_tags)
        found = json.loads(result)
        if isinstance(found, dict):
            fail(f"axe-core could not run on {page}: {found['error']}")
        pages_checked += 1
        where = f"{page} <{browser.current_url}>"
        for violation in found:
            for node in violation["nodes"]:
                why = " ".join(node.get("failureSummary", "").split())
                violations.append(f"- {violation['id']} ({violation['impact']}): {' '.join(node['target'])} on {where}"
                                  f" — {violation['help']}" + (f" [{why}]" if why else ""))

    def visited(name: str, page: str) -> None:
        """A step's page: its screenshot and its accessibility check."""
        shot(name)
        check_accessibility(page)

    def at_phone_width(name: str, page: str) -> None:
        """The page in a 390 px wide window: no sideways scrolling, a screenshot, axe again; then back."""
        browser.set_window_size(*PHONE)
        wait_for(lambda b: b.execute_script("return window.innerWidth") <= PHONE[0], f"the window narrows to {PHONE[0]} px")
        widths = browser.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
        shot(f"{name}-390px", full_page=True)
        if widths[0] > widths[1] + 1:
            wide = browser.execute_script(
                "const w = window.innerWidth; return [...document.querySelectorAll('main *, header *')]"
                ".filter(e => e.getBoundingClientRect().right > w + 1 && e.children.length === 0).slice(0, 5)"
                ".map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className ? '.' + String(e.className).split(' ').join('.') : '')"
                " + ' (right edge ' + Math.round(e.getBoundingClientRect().right) + ' px)')")
            fail(f"the {page} scrolls sideways at {PHONE[0]} px: {widths[0]} px wide in a {widths[1]} px window; "
                 f"too wide: {', '.join(wide)}")
        check_accessibility(f"{page} at {PHONE[0]} px")
        browser.set_window_size(*DESKTOP)
        wait_for(lambda b: b.execute_script("return window.innerWidth") > PHONE[0], "the window widens again")

    def log_in(username: str) -> None:
        browser.delete_all_cookies()
        browser.get(args.url + "/login")
        browser.find_element(By.ID, "username").send_keys(username)
        browser.find_element(By.ID, "password").send_keys(args.password)
        submit(browser.find_element(By.CSS_SELECTOR, "form[action='/login'] button[type=submit]"),
               lambda b: "/login" not in b.current_url, f"{username} logs in")

    def log_out() -> None:
        submit(browser.find_element(By.CSS_SELECTOR, "form[action='/logout'] button"),
               lambda b: "/login" in b.current_url, "logging out returns to the login page")

    def present(css: str) -> list:
        """The elements there now, without the implicit wait (for what may rightly be absent)."""
        browser.implicitly_wait(0)
        try:
            return browser.find_elements(By.CSS_SELECTOR, css)
        finally:
            browser.implicitly_wait(5)

    def status_shown() -> str:
        return browser.find_element(By.CSS_SELECTOR, "h1 .status").text

    def error_summary() -> str:
        return " ".join(browser.find_element(By.CSS_SELECTOR, ".error-summary").text.split())

    # The case page's history. Its list shares the class `events` with the referrals' list, which
    # comes first when the case has a referral: look inside the history's section.
    history = "section[aria-labelledby=history] .events"

    try:
        # --- The consultant's day.
        browser.get(args.url + "/cases")
        expect("/login" in browser.current_url, "an anonymous visitor is sent to the login page")
        expect(browser.find_element(By.CSS_SELECTOR, "label[for=username]").text == "Gebruikersnaam", "the page is in Dutch")
        visited("login", "login page")
        browser.find_element(By.ID, "username").send_keys("consultant-antwerpen")
        browser.find_element(By.ID, "password").send_keys(args.password)
        submit(browser.find_element(By.CSS_SELECTOR, "form button[type=submit]"), lambda b: b.current_url.endswith("/cases"),
               "after login the caseload opens")
        expect("Mijn dossiers" in browser.find_element(By.TAG_NAME, "h1").text, "the caseload title")
        visited("caseload", "caseload")
        at_phone_width("caseload", "caseload")

        # The newest case that is open and was not opened by the demo's live feed. The feed keeps
        # delivering follow-ups for the young people it announced (a job, a certificate, a return to
        # school), which close their cases within seconds to minutes of opening them — in the middle
        # of this walk. The feed's people have serial numbers from 700 up (`LiveFeed.serial`), the
        # lived history's below that, so the rijksregisternummer on the case page tells them apart.
        numbers = [a.text for a in browser.find_elements(By.CSS_SELECTOR, "section[aria-labelledby=list-title] table tbody tr td:first-child a")]
        chosen = None
        for number in numbers:
            browser.get(args.url + "/cases/" + number)
            wait_for(lambda b: number in b.find_element(By.TAG_NAME, "h1").text, f"the case page of {number}")
            shown = re.search(r"\b\d{2}\.\d{2}\.\d{2}-(\d{3})\.\d{2}\b", browser.find_element(By.TAG_NAME, "main").text)
            if browser.find_elements(By.ID, "channel") and shown and int(shown.group(1)) < 700:
                chosen = number
                age = re.search(r"\((\d+) jaar\)", browser.find_element(By.TAG_NAME, "main").text)
                break
        expect(chosen is not None, "a case of the lived history on the first page is open to work on")
        expect("Waarom in Vangnet" in browser.page_source, "the case explains why")
        visited("case", "case page")
        at_phone_width("case", "case page")

        Select(browser.find_element(By.ID, "channel")).select_by_value("phone")
        Select(browser.find_element(By.ID, "contact-outcome")).select_by_value("reached")
        browser.find_element(By.ID, "contact-note").send_keys("Telefonisch bereikt; afspraak volgende week.")
        submit(browser.find_element(By.CSS_SELECTOR, f"form[action='/cases/{number}/contacts'] button"),
               lambda b: "Het contact is geregistreerd." in b.page_source, "the contact is confirmed")
        expect("Telefoon: Bereikt" in browser.page_source, "the contact shows in the history")
        visited("contact-logged", "case page after a contact")

        Select(browser.find_element(By.ID, "new-status")).select_by_value("contacted")
        submit(browser.find_element(By.CSS_SELECTOR, f"form[action='/cases/{number}/status'] button"),
               lambda b: "De status is gewijzigd." in b.page_source, "the status change is confirmed")
        expect("Contact gehad" in status_shown(), "the new status is shown")
        visited("status-changed", "case page after a status change")

        # A note of the full 4,000 characters, typed as a user types, kept whole.
        note = long_note(4000)
        field = browser.find_element(By.ID, "note")
        field.send_keys(note)
        typed = browser.execute_script("return arguments[0].value.length", field)
        expect(typed == 4000, f"the note field takes 4,000 characters (it holds {typed})")
        submit(browser.find_element(By.CSS_SELECTOR, f"form[action='/cases/{number}/notes'] button"),
               lambda b: "De notitie is toegevoegd." in b.page_source, "the 4,000-character note is saved")
        quotes = browser.find_elements(By.CSS_SELECTOR, f"{history} blockquote")
        saved = [q.get_attribute("textContent") for q in quotes]
        expect(note in saved, f"the note is in the history, all 4,000 characters "
                              f"(longest note shown: {max((len(s) for s in saved), default=0)} characters)")
        browser.execute_script("arguments[0].scrollIntoView()", quotes[saved.index(note)])
        visited("long-note-saved", "case page with a 4,000-character note")

        # --- A case with a suggestion: the live feed gives one (a job, a diploma, …) to an open case.
        suggested_case = None
        deadline = time.monotonic() + args.suggestion_timeout
        seen: set[str] = set()
        called: set[str] = {number}
        while True:
            browser.find_element(By.LINK_TEXT, "Mijn dossiers").click()
            wait_for(lambda b: "Mijn dossiers" in b.find_element(By.TAG_NAME, "h1").text, "the caseload opens from the menu")
            if not seen:
                check_accessibility("caseload (from the menu)")
            numbers = list(dict.fromkeys(a.text for a in browser.find_elements(By.CSS_SELECTOR, "main table tbody td a[href^='/cases/VN-']")))
            for candidate in numbers:
                if "Mijn dossiers" not in browser.find_element(By.TAG_NAME, "h1").text:
                    browser.find_element(By.CSS_SELECTOR, ".breadcrumb a").click()
                    wait_for(lambda b: "Mijn dossiers" in b.find_element(By.TAG_NAME, "h1").text, "back to the caseload")
                links = browser.find_elements(By.LINK_TEXT, candidate)
                if not links:
                    continue  # withdrawn by Vangnet since the list was read: it left the caseload
                links[0].click()
                wait_for(lambda b: candidate in b.find_element(By.TAG_NAME, "h1").text, f"the case page of {candidate}")
                if candidate not in seen:
                    check_accessibility(f"case page {candidate}")
                    seen.add(candidate)
                boxes = present(".suggestion")
                forms = present("#new-status")
                selected = Select(forms[0]).first_selected_option.get_attribute("value") if forms else ""
                # One whose suggestion names a closing status, which the status form then pre-selects.
                if boxes and "→" in boxes[0].text and selected in CLOSING_STATUSES:
                    suggested_case = candidate
                    break
                # The consultant tries to call every new case: a case someone acted on gets a
                # suggestion when news arrives (one nobody acted on is withdrawn by Vangnet).
                if not boxes and forms and candidate not in called:
                    Select(browser.find_element(By.ID, "channel")).select_by_value("phone")
                    Select(browser.find_element(By.ID, "contact-outcome")).select_by_value("no_answer")
                    # The feed may withdraw the case between the page and the click (news for a case
                    # nobody acted on): then the refusal must say so, in words, and the walk goes on.
                    submit(browser.find_element(By.CSS_SELECTOR, f"form[action='/cases/{candidate}/contacts'] button"),
                           lambda b: "Het contact is geregistreerd." in b.page_source or "Dit dossier is afgesloten." in b.page_source,
                           f"the call to {candidate} is logged, or refused because Vangnet withdrew the case meanwhile")
                    called.add(candidate)
            if suggested_case is not None or time.monotonic() > deadline:
                break
            time.sleep(5)

        if suggested_case is None:
            skipped.append(f"no case of consultant-antwerpen got a suggestion with a closing status within "
                           f"{args.suggestion_timeout:.0f} s (cases looked at: {', '.join(sorted(seen))}); "
                           "the closing is tried on the newest case with a closing status chosen by hand")
            print("SKIPPED the suggestion: " + skipped[-1])
            browser.get(args.url + f"/cases/{number}")
            wait_for(lambda b: number in b.find_element(By.TAG_NAME, "h1").text, f"the case page of {number}")
            closing_case = number
            Select(browser.find_element(By.ID, "new-status")).select_by_value("in_work")
        else:
            closing_case = suggested_case
            box = browser.find_element(By.CSS_SELECTOR, ".suggestion")
            expect(box.find_element(By.TAG_NAME, "h2").text == "Nieuwe gegevens", "the suggestion box has its Dutch title")
            suggested_label = box.text.rsplit("→", 1)[1].strip()
            expect(Select(browser.find_element(By.ID, "new-status")).first_selected_option.text == suggested_label,
                   f"the status form pre-selects the suggested status ({suggested_label})")
            visited("suggestion", "case page with a suggestion")
        status_before = status_shown()
        chosen = Select(browser.find_element(By.ID, "new-status")).first_selected_option
        chosen_value, chosen_label = chosen.get_attribute("value"), chosen.text

        # Closing without a note: the page comes back with an error summary, the choice kept.
        status_form = f"form[action='/cases/{closing_case}/status']"
        submit(browser.find_element(By.CSS_SELECTOR, f"{status_form} button"),
               lambda b: present(".error-summary"), "closing without a note is refused")
        expect("Schrijf in de notitie waarom u het dossier afsluit." in error_summary(),
               f"the error summary asks for the reason (it says: {error_summary()})")
        expect(browser.find_element(By.CSS_SELECTOR, ".error-summary a").get_attribute("href").endswith("#status-note"),
               "the error summary links to the note field")
        expect(Select(browser.find_element(By.ID, "new-status")).first_selected_option.get_attribute("value") == chosen_value,
               "the chosen status is kept")
        expect(status_shown() == status_before, "the case is not closed")
        visited("closing-without-note", "case page: closing without a note")

        # With a note but without the confirmation: refused again, the note kept.
        reason = "Is beginnen werken; bevestigd door de jongere zelf aan de telefoon."
        browser.find_element(By.ID, "status-note").send_keys(reason)
        expect(not browser.find_element(By.ID, "confirm-close").is_selected(), "the confirmation starts unticked")
        submit(browser.find_element(By.CSS_SELECTOR, f"{status_form} button"),
               lambda b: present(".error-summary"), "closing without the confirmation is refused")
        expect("Bevestig dat u het dossier wilt afsluiten" in error_summary(),
               f"the error summary asks for the confirmation (it says: {error_summary()})")
        expect(browser.find_element(By.CSS_SELECTOR, ".error-summary a").get_attribute("href").endswith("#confirm-close"),
               "the error summary links to the confirmation")
        expect(browser.find_element(By.ID, "status-note").get_attribute("value") == reason, "the note typed is kept")
        expect(Select(browser.find_element(By.ID, "new-status")).first_selected_option.get_attribute("value") == chosen_value,
               "the chosen status is kept")
        visited("closing-without-confirmation", "case page: closing without the confirmation")

        # With both: the case closes, and shows no work forms any more.
        browser.find_element(By.CSS_SELECTOR, "label[for=confirm-close]").click()
        expect(browser.find_element(By.ID, "confirm-close").is_selected(), "clicking the label ticks the confirmation")
        submit(browser.find_element(By.CSS_SELECTOR, f"{status_form} button"),
               lambda b: "De status is gewijzigd." in b.page_source, "the closing is confirmed")
        expect(chosen_label in status_shown(), f"the case shows its closing status {chosen_label}")
        expect("Dit dossier is afgesloten." in browser.page_source, "the page says the case is closed")
        expect(not present("#new-status"), "a closed case has no work forms")
        expect(reason in browser.find_element(By.CSS_SELECTOR, history).text, "the reason shows in the history")
        visited("case-closed", "closed case page")
        log_out()

        # --- The team lead undoes the closing.
        log_in("teamlead-antwerpen")
        visited("teamlead-start", "team page")
        browser.find_element(By.LINK_TEXT, "Mijn dossiers").click()
        wait_for(lambda b: present("#q"), "the team lead's case list with its search box")
        visited("teamlead-cases", "team lead's case list")
        browser.find_element(By.ID, "q").send_keys(closing_case)
        submit(browser.find_element(By.CSS_SELECTOR, "form[action='/cases/search'] button"),
               lambda b: closing_case in b.find_element(By.TAG_NAME, "h1").text, f"the search finds the closed case {closing_case}")
        expect(browser.find_element(By.ID, "undo-title").text == "Afsluiting ongedaan maken", "the team lead sees the undo form")
        visited("teamlead-closed-case", "closed case page for the team lead")
        browser.find_element(By.ID, "undo-reason").send_keys("Per vergissing afgesloten: de jongere werkt nog niet.")
        submit(browser.find_element(By.CSS_SELECTOR, f"form[action='/cases/{closing_case}/undo-close'] button"),
               lambda b: "De afsluiting is ongedaan gemaakt." in b.page_source, "the undo is confirmed")
        expect(status_shown() == status_before, f"the case has its status from before the closing again ({status_before})")
        expect("Dit dossier is afgesloten." not in browser.page_source, "the case is open again")
        visited("closing-undone", "case page after the undo")

        # --- A referral with consent to the province's tender partner, who accepts it.
        browser.get(args.url + f"/cases/{number}#referrals")
        wait_for(lambda b: present("#ref-organisation"), "the referral form")
        organisation = Select(browser.find_element(By.ID, "ref-organisation"))
        tender = [o.text for o in organisation.options if "(tenderpartner)" in o.text]
        expect(tender, "the province's tender partner is offered")
        organisation.select_by_visible_text(tender[0])
        Select(browser.find_element(By.ID, "ref-offer")).select_by_value("work_experience")
        browser.find_element(By.ID, "ref-reason").send_keys("Wil werkervaring opdoen in de logistiek.")
        browser.find_element(By.ID, "ref-consent").click()
        submit(browser.find_element(By.CSS_SELECTOR, f"form[action='/cases/{number}/referrals'] button"),
               lambda b: present(".error-summary"), "consent without how and by whom is refused")
        expect("Vink de toestemming aan" in error_summary(), f"the refusal says what is missing (it says: {error_summary()})")
        expect(browser.find_element(By.ID, "ref-reason").get_attribute("value") == "Wil werkervaring opdoen in de logistiek.",
               "the reason typed is kept")
        Select(browser.find_element(By.ID, "ref-channel")).select_by_value("spoken")
        # Under 18 a parent or guardian gives the consent (the lived history has minors too).
        minor = age is not None and int(age.group(1)) < 18
        Select(browser.find_element(By.ID, "ref-given-by")).select_by_value("parent" if minor else "young_person")
        submit(browser.find_element(By.CSS_SELECTOR, f"form[action='/cases/{number}/referrals'] button"),
               lambda b: "De doorverwijzing is verstuurd." in b.page_source, "the referral is sent")
        expect("Doorverwezen naar partner" in status_shown(), "the case is referred")
        visited("referral-sent", "case page with a referral")
        at_phone_width("referral-sent", "case page with a referral")
        log_out()

        log_in("partner-antwerpen")
        wait_for(lambda b: b.find_element(By.TAG_NAME, "h1").text == "Doorverwijzingen", "the partner's workspace")
        expect(number in browser.page_source, "the partner sees the referral")
        visited("partner-list", "partner's referrals")
        browser.find_element(By.LINK_TEXT, number).click()
        wait_for(lambda b: number in b.find_element(By.TAG_NAME, "h1").text, "the referral's page")
        expect("Wil werkervaring opdoen in de logistiek." in browser.page_source, "the reason for the referral")
        expect("Waarom in Vangnet" not in browser.page_source, "no decision for the partner")
        visited("partner-referral", "a referral for the partner")
        at_phone_width("partner-referral", "a referral for the partner")
        submit(browser.find_element(By.CSS_SELECTOR, "form[action$='/accept'] button"),
               lambda b: "aanvaard" in b.find_element(By.TAG_NAME, "h1").text, "the partner accepts")
        visited("partner-accepted", "an accepted referral")
        log_out()

        # --- The data steward reads a quarantined record, in Dutch.
        log_in("steward")
        browser.find_element(By.LINK_TEXT, "Bronnen en quarantaine").click()
        wait_for(lambda b: b.find_element(By.TAG_NAME, "h1").text == "Bronnen en quarantaine", "the steward page")
        visited("steward", "steward page")
        at_phone_width("steward", "steward page")
        reasons = Select(browser.find_element(By.ID, "reason")).options
        dutch_reasons = {o.text for o in reasons if o.get_attribute("value")}
        codes = {o.get_attribute("value") for o in reasons if o.get_attribute("value")}
        entries = [a.text for a in browser.find_elements(By.CSS_SELECTOR, "section[aria-labelledby=quarantine-title] table tbody a")]
        expect(entries, "the demo has records in quarantine")
        # The steward reads the first records of the list (each reading is audited: the auditor pages those entries below).
        for index, entry in enumerate(entries[:QUARANTINE_READ]):
            if index > 0:
                browser.find_element(By.LINK_TEXT, "Bronnen en quarantaine").click()
                wait_for(lambda b: b.find_element(By.TAG_NAME, "h1").text == "Bronnen en quarantaine", "back to the steward page")
            browser.find_element(By.LINK_TEXT, entry).click()
            wait_for(lambda b: b.find_element(By.TAG_NAME, "h1").text == f"Quarantaine {entry}", f"quarantined record {entry}")
            expect(browser.find_element(By.TAG_NAME, "html").get_attribute("lang").startswith("nl"), "the page is marked as Dutch")
            facts = dict(zip([dt.text for dt in browser.find_elements(By.CSS_SELECTOR, "dl.facts dt")],
                             [dd.text for dd in browser.find_elements(By.CSS_SELECTOR, "dl.facts dd")]))
            for label in ("Reden", "Levering", "Plaats", "Ontvangen", "Status"):
                expect(facts.get(label), f"quarantined record {entry} shows its {label}")
            expect(facts["Reden"] in dutch_reasons and facts["Reden"] not in codes,
                   f"the reason of record {entry} is given in Dutch words, not as a code (it says: {facts['Reden']})")
            expect(browser.find_element(By.CSS_SELECTOR, "pre.original").text.strip(), f"the original of record {entry} is shown")
            if index == 0:
                visited("quarantined-record", "quarantined record")
            else:
                check_accessibility(f"quarantined record {entry}")

        # The steward decides a proposed identity: a record quarantined for its INSZ next to the known
        # person it probably is (the demo runs with VANGNET_LINK_THRESHOLD=1, so that the records the
        # simulator damaged in their INSZ wait for the steward instead of being linked at once).
        browser.find_element(By.LINK_TEXT, "Bronnen en quarantaine").click()
        wait_for(lambda b: b.find_element(By.TAG_NAME, "h1").text == "Bronnen en quarantaine", "back to the steward page")
        proposals = browser.find_elements(By.CSS_SELECTOR, "section[aria-labelledby=identities-title] li a")
        expect(proposals, "the demo has proposed identities for the steward")
        proposals[0].click()
        wait_for(lambda b: b.find_element(By.TAG_NAME, "h1").text == "Is dit dezelfde persoon?", "a proposed identity")
        visited("identity", "a proposed identity")
        at_phone_width("identity", "a proposed identity")
        rows = [r.text for r in browser.find_elements(By.CSS_SELECTOR, "table tbody tr")]
        expect(any(r.startswith("Geboortedatum") for r in rows), "the birth dates side by side")
        expect("birthDate" not in browser.page_source and "sameAddress" not in browser.page_source, "words, not codes")
        submit(browser.find_element(By.XPATH, "//button[contains(., 'koppelen')]"),
               lambda b: "Gekoppeld" in b.find_element(By.CSS_SELECTOR, ".notice").text, "the steward links the record to the person")

        # Merges: the register replaced some pupils' BIS numbers (the simulator's previous_insz), so
        # Vangnet merged them; the steward reads one, then compares the persons of two cases.
        browser.find_element(By.LINK_TEXT, "Bronnen en quarantaine").click()
        wait_for(lambda b: b.find_element(By.TAG_NAME, "h1").text == "Bronnen en quarantaine", "back to the steward page")
        merges = browser.find_elements(By.CSS_SELECTOR, "section[aria-labelledby=merges-title] li a")
        expect(merges and "Nummer vervangen door het rijksregister" in merges[0].text, "the demo's replaced numbers are merged")
        merges[0].click()
        wait_for(lambda b: b.find_element(By.TAG_NAME, "h1").text == "Samenvoeging van twee registraties", "a merge")
        visited("merge", "a merge")
        at_phone_width("merge", "a merge")
        expect("BIS-nummer" in browser.find_element(By.TAG_NAME, "main").text, "the replaced BIS number is shown with its kind")
        browser.find_element(By.LINK_TEXT, "Bronnen en quarantaine").click()
        wait_for(lambda b: b.find_element(By.TAG_NAME, "h1").text == "Bronnen en quarantaine", "back to the steward page")
        browser.find_element(By.ID, "merge-first").send_keys("VN-000001")
        browser.find_element(By.ID, "merge-second").send_keys("2")
        submit(browser.find_element(By.XPATH, "//button[contains(., 'Vergelijken')]"),
               lambda b: b.find_element(By.TAG_NAME, "h1").text == "Twee personen samenvoegen", "the comparison of two cases' persons")
        visited("merge-compare", "the comparison of two persons")
        at_phone_width("merge-compare", "the comparison of two persons")
        expect(browser.find_elements(By.CSS_SELECTOR, ".error-summary"), "two different pupils: the page warns before the button")
        browser.find_element(By.LINK_TEXT, "Annuleren").click()
        wait_for(lambda b: b.find_element(By.TAG_NAME, "h1").text == "Bronnen en quarantaine", "cancelled: back to the steward page")

        # The letters: the day's batch (the server made it), and a file from the mail house.
        browser.find_element(By.LINK_TEXT, "Brieven").click()
        wait_for(lambda b: b.find_element(By.TAG_NAME, "h1").text == "Brieven", "the letters page")
        visited("letters", "letters page")
        at_phone_width("letters", "letters page")
        returns = os.path.join(tempfile.mkdtemp(), "teruggekomen.csv")
        with open(returns, "w", encoding="utf-8") as file:
            file.write("reference,returned_on,reason\nVN-999999-1,2026-12-01,moved\nkapot\n")
        browser.find_element(By.ID, "kind-returns").click()
        browser.find_element(By.ID, "mail-file").send_keys(returns)
        submit(browser.find_element(By.CSS_SELECTOR, "form[action='/steward/letters/files'] button"),
               lambda b: "Verwerkt bestand" in b.find_element(By.TAG_NAME, "h1").text, "the mail house's file is read line by line")
        expect("Geen brief met deze referentie" in browser.page_source and "Regel onleesbaar" in browser.page_source,
               "each refused line says why, in Dutch")
        expect("unknown_reference" not in browser.page_source, "words, not codes")
        visited("mail-house-file", "a mail-house file's outcome")
        at_phone_width("mail-house-file", "a mail-house file's outcome")
        log_out()

        # --- The analyst: the dashboard, the status report, a policy simulation.
        log_in("analyst")
        wait_for(lambda b: "/dashboard" in b.current_url, "the analyst starts on the dashboard")
        expect("Wat werd er van de schoolverlaters?" in browser.page_source, "the dashboard's first table")
        expect("target_group" not in browser.page_source and "first_attempt" not in browser.page_source, "words, not codes")
        visited("dashboard", "dashboard")
        at_phone_width("dashboard", "dashboard")
        Select(browser.find_element(By.ID, "dash-split")).select_by_value("province")
        submit(browser.find_element(By.CSS_SELECTOR, "form[action='/dashboard'] button"),
               lambda b: "split=province" in b.current_url, "the dashboard per province")
        expect("<th scope=\"row\">Antwerpen</th>" in browser.page_source, "a row per province")
        visited("dashboard-province", "dashboard per province")
        browser.find_element(By.LINK_TEXT, "Scholen").click()
        wait_for(lambda b: b.find_element(By.TAG_NAME, "h1").text.startswith("Scholen"), "the schools page")
        visited("schools", "schools page")
        at_phone_width("schools", "schools page")
        browser.find_element(By.LINK_TEXT, "Statusrapport").click()
        wait_for(lambda b: "1. Hoe staat de uitwisseling" in b.page_source, "the status report answers the first question")
        expect("5. Wat zijn de resultaten?" in browser.page_source, "and the fifth")
        visited("status-report", "status report")
        at_phone_width("status-report", "status report")
        browser.find_element(By.LINK_TEXT, "Beleid simuleren").click()
        wait_for(lambda b: b.find_element(By.TAG_NAME, "h1").text == "Beleid simuleren", "the simulation page")
        age = browser.find_element(By.ID, "sim-age")
        age.clear()
        age.send_keys("44")
        submit(browser.find_element(By.CSS_SELECTOR, "#sim-form button[type=submit]"),
               lambda b: "error-summary" in b.page_source, "an age limit of 44 is refused")
        expect("De leeftijdsgrens ligt tussen 18 en 30 jaar." in error_summary(), "the refusal says what is allowed")
        expect(browser.find_element(By.ID, "sim-age").get_attribute("value") == "44", "what was typed stays")
        visited("simulation-refused", "simulation refused")
        age = browser.find_element(By.ID, "sim-age")
        age.clear()
        age.send_keys("30")
        submit(browser.find_element(By.CSS_SELECTOR, "#sim-form button[type=submit]"),
               lambda b: "Met dit beleid" in b.page_source, "the simulation runs")
        expect("target.age-limit" not in browser.page_source, "rules in words")
        visited("simulation", "simulation result")
        at_phone_width("simulation", "simulation result")
        log_out()

        # --- The auditor pages the audit log.
        log_in("auditor")
        visited("auditor-start", "auditor's start page")
        browser.find_element(By.LINK_TEXT, "Audit").click()
        wait_for(lambda b: b.find_element(By.TAG_NAME, "h1").text == "Wie raadpleegde wat", "the audit page")
        expect(browser.find_element(By.ID, "audit-results").text.startswith("Laatste registraties"), "the latest entries are listed")
        first_page = [r.text for r in browser.find_elements(By.CSS_SELECTOR, "section[aria-labelledby=audit-results] tbody tr")]
        expect(len(first_page) == 50, f"a full first page of 50 entries (it has {len(first_page)})")
        visited("audit", "audit page")
        at_phone_width("audit", "audit page")
        next_link = browser.find_element(By.LINK_TEXT, "Volgende pagina")
        submit(next_link, lambda b: "before=" in b.current_url, "the next page of the audit log")
        second_page = [r.text for r in browser.find_elements(By.CSS_SELECTOR, "section[aria-labelledby=audit-results] tbody tr")]
        expect(second_page and second_page != first_page, "the next page shows other, older entries")
        visited("audit-page-2", "audit page 2")
        log_out()

        # --- After logging out, nothing is reachable.
        browser.get(args.url + f"/cases/{number}")
        expect("/login" in browser.current_url, "after logging out the case is no longer reachable")
        shot("logged-out")
    finally:
        browser.quit()

    if violations:
        print(f"axe-core found {len(violations)} WCAG 2.1 A/AA violation(s) on {pages_checked} pages checked:")
        print("\n".join(violations))
        return 1
    print(f"browser test: {step} steps passed" + (f", {len(skipped)} skipped (see above)" if skipped else "")
          + f"; axe-core: no violations on {pages_checked} pages checked")
    return 0


if __name__ == "__main__":
    sys.exit(main())
