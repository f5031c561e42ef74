"""A consultant's day in a real browser: log in, open the newest case, log a phone contact,
change the status, log out. Fails on the first step that does not do what the user expects."""
import argparse
import sys

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException, TimeoutException
from selenium.webdriver.support.ui import Select, WebDriverWait


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--chromium", required=True)
    parser.add_argument("--driver", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--screenshots", required=True)
    args = parser.parse_args()

    options = webdriver.ChromeOptions()
    options.binary_location = args.chromium
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1366,900", "--lang=nl-BE"):
        options.add_argument(flag)
    browser = webdriver.Chrome(service=Service(executable_path=args.driver), options=options)
    browser.implicitly_wait(5)
    step = 0

    def shot(name: str) -> None:
        nonlocal step
        step += 1
        browser.save_screenshot(f"{args.screenshots}/{step:02d}-{name}.png")

    def page_summary() -> str:
        """What the user sees (synthetic demo data only): the title and the start of the main text."""
        try:
            text = " ".join(browser.find_element(By.TAG_NAME, "main").text.split())
        except Exception:
            text = ""
        return f"{browser.current_url} | {browser.title} | {text[:300]}"

    def expect(condition: bool, message: str) -> None:
        if not condition:
            shot("failed")
            raise AssertionError(f"{message} (page: {page_summary()})")

    def wait_for(condition, message: str) -> None:
        """After a click that submits a form, the next page arrives asynchronously: poll for it."""
        try:
            WebDriverWait(browser, 15, ignored_exceptions=(NoSuchElementException, StaleElementReferenceException)).until(lambda b: condition(b))
        except TimeoutException:
            shot("failed")
            raise AssertionError(f"{message} (page: {page_summary()})")

    try:
        browser.get(args.url + "/cases")
        expect("/login" in browser.current_url, "an anonymous visitor is sent to the login page")
        expect(browser.find_element(By.CSS_SELECTOR, "label[for=username]").text == "Gebruikersnaam", "the page is in Dutch")
        shot("login")
        browser.find_element(By.ID, "username").send_keys("consultant-antwerpen")
        browser.find_element(By.ID, "password").send_keys(args.password)
        browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
        wait_for(lambda b: b.current_url.endswith("/cases"), "after login the caseload opens")
        expect("Mijn dossiers" in browser.find_element(By.TAG_NAME, "h1").text, "the caseload title")
        shot("caseload")

        newest = browser.find_element(By.CSS_SELECTOR, "section[aria-labelledby=list-title] table tbody tr td a")
        number = newest.text
        newest.click()
        wait_for(lambda b: number in b.find_element(By.TAG_NAME, "h1").text, f"the case page of {number}")
        expect("Waarom in Vangnet" in browser.page_source, "the case explains why")
        shot("case")

        Select(browser.find_element(By.ID, "channel")).select_by_value("phone")
        Select(browser.find_element(By.ID, "contact-outcome")).select_by_value("reached")
        browser.find_element(By.ID, "contact-note").send_keys("Telefonisch bereikt; afspraak volgende week.")
        browser.find_element(By.CSS_SELECTOR, f"form[action='/cases/{number}/contacts'] button").click()
        wait_for(lambda b: "Het contact is geregistreerd." in b.page_source, "the contact is confirmed")
        expect("Telefoon: Bereikt" in browser.page_source, "the contact shows in the history")
        shot("contact-logged")

        Select(browser.find_element(By.ID, "new-status")).select_by_value("contacted")
        browser.find_element(By.CSS_SELECTOR, f"form[action='/cases/{number}/status'] button").click()
        wait_for(lambda b: "De status is gewijzigd." in b.page_source, "the status change is confirmed")
        expect("Contact gehad" in browser.find_element(By.CSS_SELECTOR, "h1 .status").text, "the new status is shown")
        shot("status-changed")

        browser.find_element(By.CSS_SELECTOR, "form[action='/logout'] button").click()
        wait_for(lambda b: "/login" in b.current_url, "logging out returns to the login page")
        browser.get(args.url + f"/cases/{number}")
        expect("/login" in browser.current_url, "after logging out the case is no longer reachable")
        shot("logged-out")
    finally:
        browser.quit()
    print(f"browser test: {step} steps passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
