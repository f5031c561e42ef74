import Domain
import Foundation
import Storage
import Vapor
import Workflows

/// The young person's answer page: public (no account), linked from the letter by a short address.
/// The personal code and the birth date open it; then, in plain words, why they got the letter and
/// a choice. Works without JavaScript, in Dutch, French and English (`?taal=fr`).
struct AnswerPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("antwoord", use: form)
        routes.post("antwoord", use: open)
        routes.post("antwoord", "keuze", use: answer)
        routes.post("antwoord", "toestemming", use: consent)
    }

    struct Choice: Encodable {
        let value: String
        let label: String
        let selected: Bool
    }

    struct AnswerPage: Encodable {
        let t: [String: String]
        let lang: String
        let taal: String
        let csrf: String
        let step: String
        let error: String?
        let errorField: String
        let code: String
        let birth: String
        let why: String?
        let token: String
        let choices: [Choice]
        let text: String
        let phone: String
        let email: String
        let moment: String
        let languages: [Choice]
        /// Referrals the consultant proposed that wait for the young person's consent.
        let proposals: [Proposal]
        /// What their answer to a proposal did (a status message at the top of the page).
        let notice: String?
    }

    struct Proposal: Encodable {
        let id: Int64
        let text: String
        let question: String
    }

    static func language(_ request: Request, _ field: String?) -> Language {
        let asked = field ?? (try? request.query.get(String.self, at: "taal"))
        return asked.flatMap(Language.init(rawValue:)) ?? .nl
    }

    func page(_ request: Request, _ language: Language, step: String, error: String? = nil, errorField: String = "code",
              code: String = "", birth: String = "", why: String? = nil, token: String = "", chosen: String = "",
              text: String = "", phone: String = "", email: String = "", moment: String = "", caseID: Int64? = nil, notice: String? = nil,
              status: HTTPStatus = .ok) async throws -> Response {
        let secure = request.context.settings.secureCookies
        let csrf = LoginCSRF.token(of: request, secure: secure) ?? SessionCookie.newToken()
        let t = AnswerTexts.table(language)
        let words = language.words
        var proposals: [Proposal] = []
        if step == "choice", let caseID {
            proposals = try await request.context.store.referralsAwaitingConsent(caseID: caseID).map { referral, organisation in
                Proposal(id: referral.id,
                         text: t["proposal_text"]!.replacingOccurrences(of: "{organisation}", with: organisation)
                             .replacingOccurrences(of: "{offer}", with: t["offer_" + referral.offer.rawValue]!),
                         question: t["proposal_question"]!.replacingOccurrences(of: "{organisation}", with: organisation))
            }
        }
        let response = try await request.view.render("answer", AnswerPage(
            t: t, lang: ReportTexts.lang(language), taal: language.rawValue, csrf: csrf, step: step,
            error: error, errorField: errorField, code: code, birth: birth, why: why, token: token,
            choices: AnswerChoice.allCases.map { Choice(value: $0.rawValue, label: words.answerChoice($0), selected: $0.rawValue == chosen) },
            text: text, phone: phone, email: email, moment: moment,
            languages: [("nl", "Nederlands"), ("fr", "Français"), ("en", "English")].map { Choice(value: $0.0, label: $0.1, selected: $0.0 == language.rawValue) },
            proposals: proposals, notice: notice))
            .encodeResponse(for: request)
        response.status = status
        response.cookies[LoginCSRF.cookieName(secure: secure)] = LoginCSRF.cookie(csrf, secure: secure)
        return response
    }

    func form(request: Request) async throws -> Response {
        try await page(request, Self.language(request, nil), step: "code")
    }

    struct OpenForm: Content {
        var code: String?
        var birth: String?
        var taal: String?
        var _csrf: String?
    }

    func formIsOurs(_ request: Request, _ given: String?) -> Bool {
        LoginCSRF.refusal(request.headers, given: given, expected: LoginCSRF.token(of: request, secure: request.context.settings.secureCookies)) == nil
    }

    func open(request: Request) async throws -> Response {
        let form = try request.content.decode(OpenForm.self)
        let language = Self.language(request, form.taal)
        let t = AnswerTexts.table(language)
        guard formIsOurs(request, form._csrf) else { return try await page(request, language, step: "code", error: t["expired"], status: .badRequest) }
        let work = request.context.answerWork
        let client = request.remoteAddress?.ipAddress ?? "unknown"
        switch try await work.open(code: form.code ?? "", birthDate: form.birth ?? "", client: client, requestID: request.requestID) {
        case .tooManyAttempts:
            return try await page(request, language, step: "code", error: t["too_many"], status: .tooManyRequests)
        case .notRecognised:
            return try await page(request, language, step: "code", error: t["not_recognised"], code: form.code ?? "", birth: form.birth ?? "",
                                  status: .unprocessableEntity)
        case .opened(let entry):
            let words = language.words
            let why = [entry.school.map { t["why_school"]! + " " + $0 }, entry.leftOn.map { t["why_left"]! + " " + words.date($0) }]
                .compactMap { $0 }.joined(separator: " ")
            return try await page(request, language, step: "choice", why: why.isEmpty ? nil : why + ".", token: token(for: entry, request),
                                  caseID: entry.caseID)
        }
    }

    /// A short-lived token that names the case the code opened (signed with the index key), so
    /// that the choice form needs no session and cannot be pointed at another case.
    func token(for entry: AnswerCodeEntry, _ request: Request) -> String {
        let expires = Int(request.context.settings.clock.now().timeIntervalSince1970) + 1800
        let payload = "\(entry.caseID).\(expires).\(entry.subject ?? "")"
        return "\(entry.caseID).\(expires).\(request.context.store.keyring.blindIndex(payload, purpose: .answerSession))"
    }

    func verify(_ token: String, subject: String?, _ request: Request) -> Int64? {
        let parts = token.split(separator: ".")
        guard parts.count == 3, let caseID = Int64(parts[0]), let expires = Int(parts[1]),
              expires > Int(request.context.settings.clock.now().timeIntervalSince1970) else { return nil }
        let expected = request.context.store.keyring.blindIndex("\(caseID).\(expires).\(subject ?? "")", purpose: .answerSession)
        return constantTimeEqual(String(parts[2]), expected) ? caseID : nil
    }

    /// The case (and its audit subject) a form's token names: the token's subject comes from the
    /// case, so a token cannot be reused for another. Nil when expired or forged.
    func verified(_ token: String, _ request: Request) async throws -> (caseID: Int64, subject: String)? {
        guard let claimed = token.split(separator: ".").first.flatMap({ Int64($0) }),
              let subject = try await request.context.store.caseSubject(claimed),
              let caseID = verify(token, subject: subject, request) else { return nil }
        return (caseID, subject)
    }

    /// A form posted after the code was accepted: ours (its CSRF field) and with a token that names
    /// a case. Nil when it is not, or the token expired (`expired` answers it).
    func posted(_ request: Request, csrf: String?, token: String?) async throws -> (token: String, caseID: Int64, subject: String)? {
        guard formIsOurs(request, csrf), let token, let (caseID, subject) = try await verified(token, request) else { return nil }
        return (token, caseID, subject)
    }

    /// The code page again, saying the form expired.
    func expired(_ request: Request, _ language: Language) async throws -> Response {
        try await page(request, language, step: "code", error: AnswerTexts.table(language)["expired"], status: .badRequest)
    }

    struct ChoiceForm: Content {
        var token: String?
        var choice: String?
        var text: String?
        var phone: String?
        var email: String?
        var moment: String?
        var consent: String?
        var taal: String?
        var _csrf: String?
    }

    func answer(request: Request) async throws -> Response {
        let form = try request.content.decode(ChoiceForm.self)
        let language = Self.language(request, form.taal)
        let t = AnswerTexts.table(language)
        guard let (token, caseID, subject) = try await posted(request, csrf: form._csrf, token: form.token) else {
            return try await expired(request, language)
        }
        func again(_ message: String, field: String) async throws -> Response {
            try await page(request, language, step: "choice", error: message, errorField: field, token: token, chosen: form.choice ?? "",
                           text: form.text ?? "", phone: form.phone ?? "", email: form.email ?? "", moment: form.moment ?? "",
                           caseID: caseID, status: .unprocessableEntity)
        }
        guard let choice = form.choice.flatMap(AnswerChoice.init(rawValue:)) else { return try await again(t["choose"]!, field: "choice-0") }
        do {
            try await request.context.answerWork.answer(caseID, .init(choice: choice, text: form.text, phone: form.phone, email: form.email,
                                                                      moment: form.moment, consent: form.consent == "1"),
                                                        subject: subject, requestID: request.requestID)
        } catch let refused as AnswerWork.Refusal {
            switch refused {
            case .whatIsWrongMissing: return try await again(t["text_required"]!, field: "answer-text")
            case .consentMissing: return try await again(t["consent_required"]!, field: "consent")
            case .tooLong: return try await again(t["too_long"]!, field: "answer-text")
            }
        } catch let refused as CaseRuleViolation {
            return try await again(refused == .tooLong(field: "note", maximum: CaseRules.noteMaximumLength) ? t["too_long"]! : t["choose"]!,
                                   field: "answer-text")
        }
        return try await page(request, language, step: "thanks")
    }
}

extension AnswerPages {
    struct ConsentForm: Content {
        var token: String?
        var referral: String?
        var agree: String?
        var taal: String?
        var _csrf: String?
    }

    /// The young person's yes or no to a referral their consultant proposed (consent given on the
    /// answer page); the choice page again, with what it did.
    func consent(request: Request) async throws -> Response {
        let form = try request.content.decode(ConsentForm.self)
        let language = Self.language(request, form.taal)
        let t = AnswerTexts.table(language)
        guard let (token, caseID, _) = try await posted(request, csrf: form._csrf, token: form.token) else {
            return try await expired(request, language)
        }
        guard let referral = form.referral.flatMap(Int64.init), ["yes", "no"].contains(form.agree ?? "") else {
            return try await page(request, language, step: "choice", token: token, caseID: caseID, status: .unprocessableEntity)
        }
        let settings = request.context.settings
        let notice: String
        switch try await request.context.store.answerConsent(caseID: caseID, referralID: referral, agree: form.agree == "yes",
                                                             ageOfConsent: settings.ageOfConsent, today: request.context.today,
                                                             requestID: request.requestID) {
        case .sent(let organisation): notice = t["proposal_sent"]!.replacingOccurrences(of: "{organisation}", with: organisation)
        case .refused: notice = t["proposal_refused"]!
        case .tooYoung: notice = t["proposal_too_young"]!.replacingOccurrences(of: "{age}", with: String(settings.ageOfConsent))
        case .notWaiting: notice = t["proposal_answered_before"]!
        }
        return try await page(request, language, step: "choice", token: token, caseID: caseID, notice: notice)
    }
}

/// The answer page's sentences (for the young person: plain language, B1), one table per language.
enum AnswerTexts {
    static func table(_ language: Language) -> [String: String] {
        switch language {
        case .nl: nl
        case .fr: fr
        case .en: en
        }
    }

    static let nl: [String: String] = [
        "title": "Antwoord op je brief van VDAB", "intro": "Tik de persoonlijke code uit je brief en je geboortedatum in. Zo weten we dat jij het bent.",
        "code": "Persoonlijke code", "code_hint": "Zoals in je brief, bijvoorbeeld K7QF2-M9XDA", "birth": "Geboortedatum", "birth_hint": "Bijvoorbeeld 14/03/2006",
        "continue": "Verder", "not_recognised": "We vinden deze code niet met deze geboortedatum. Kijk ze na en probeer opnieuw.",
        "too_many": "Te veel pogingen. Probeer het over een uur opnieuw, of bel gratis 0800 30 700.",
        "expired": "Deze pagina is verlopen. Tik je code opnieuw in.", "problem": "Er is een probleem",
        "why_title": "Waarom je deze brief kreeg", "why_school": "Je zat op school in", "why_left": "tot",
        "why_more": "Je hebt nog geen diploma of getuigschrift. VDAB helpt je graag verder.",
        "choice_title": "Wat wil je ons laten weten?", "choose": "Kies een antwoord.", "text": "Wil je nog iets zeggen? (verplicht als er iets niet klopt)",
        "phone": "Telefoonnummer (als je wilt dat we je bellen)", "email": "E-mailadres", "moment": "Wanneer kunnen we je best bellen?",
        "consent": "Ik geef VDAB toestemming om mijn telefoonnummer en e-mailadres te gebruiken om me te contacteren over hulp bij werk of opleiding. Ik kan dat altijd intrekken.",
        "send": "Versturen", "text_required": "Schrijf wat er niet klopt in de brief.", "consent_required": "Geef toestemming om je telefoonnummer of e-mailadres te gebruiken, of laat ze leeg.",
        "too_long": "Je tekst is te lang: maximaal 4.000 tekens.",
        "thanks_title": "Bedankt!", "thanks": "We hebben je antwoord. Je jongerenconsulent kijkt ernaar en neemt zo nodig contact met je op.",
        "proposal_title": "Een voorstel van je consulent", "proposal_text": "Je jongerenconsulent stelt voor dat {organisation} je helpt: {offer}.",
        "proposal_question": "Mag VDAB je naam, je contactgegevens, je leeftijd en de reden van dit voorstel aan {organisation} geven? Je kan dat later altijd weer intrekken bij je consulent.",
        "proposal_yes": "Ja, dat mag", "proposal_no": "Nee, liever niet",
        "proposal_sent": "Bedankt. {organisation} krijgt je gegevens en neemt contact met je op. Je consulent volgt mee op.",
        "proposal_refused": "Begrepen: we geven niets door. Je consulent neemt contact met je op om te zien wat wel bij je past.",
        "proposal_too_young": "Omdat je nog geen {age} jaar bent, moet een ouder of je voogd akkoord gaan. Je consulent neemt daarvoor contact met jullie op.",
        "proposal_answered_before": "Op deze vraag heb je al geantwoord.",
        "offer_guidance": "begeleiding naar werk of opleiding", "offer_training": "een opleiding", "offer_work_experience": "werkervaring opdoen",
        "offer_welfare_support": "hulp bij andere zorgen (wonen, geld, gezondheid)", "offer_other": "een ander aanbod",
        "language": "Taal",
    ]

    static let fr: [String: String] = [
        "title": "Réponse à ta lettre du VDAB", "intro": "Tape le code personnel de ta lettre et ta date de naissance. Ainsi, nous savons que c’est toi.",
        "code": "Code personnel", "code_hint": "Comme dans ta lettre, par exemple K7QF2-M9XDA", "birth": "Date de naissance", "birth_hint": "Par exemple 14/03/2006",
        "continue": "Continuer", "not_recognised": "Nous ne trouvons pas ce code avec cette date de naissance. Vérifie-les et réessaie.",
        "too_many": "Trop d’essais. Réessaie dans une heure, ou appelle gratuitement le 0800 30 700.",
        "expired": "Cette page a expiré. Tape à nouveau ton code.", "problem": "Il y a un problème",
        "why_title": "Pourquoi tu as reçu cette lettre", "why_school": "Tu étais à l’école à", "why_left": "jusqu’au",
        "why_more": "Tu n’as pas encore de diplôme ou de certificat. Le VDAB t’aide volontiers.",
        "choice_title": "Que veux-tu nous dire ?", "choose": "Choisis une réponse.", "text": "Tu veux ajouter quelque chose ? (obligatoire si quelque chose ne va pas)",
        "phone": "Numéro de téléphone (si tu veux que nous t’appelions)", "email": "Adresse e-mail", "moment": "Quand pouvons-nous t’appeler ?",
        "consent": "J’autorise le VDAB à utiliser mon numéro de téléphone et mon adresse e-mail pour me contacter au sujet d’une aide pour un emploi ou une formation. Je peux retirer cette autorisation à tout moment.",
        "send": "Envoyer", "text_required": "Écris ce qui ne va pas dans la lettre.", "consent_required": "Donne ton autorisation pour utiliser ton téléphone ou ton e-mail, ou laisse-les vides.",
        "too_long": "Ton texte est trop long : 4 000 caractères au maximum.",
        "thanks_title": "Merci !", "thanks": "Nous avons reçu ta réponse. Ton conseiller jeunes la regarde et te contacte si nécessaire.",
        "proposal_title": "Une proposition de ton conseiller", "proposal_text": "Ton conseiller jeunes propose que {organisation} t’aide : {offer}.",
        "proposal_question": "Le VDAB peut-il donner ton nom, tes coordonnées, ton âge et la raison de cette proposition à {organisation} ? Tu peux toujours le retirer plus tard auprès de ton conseiller.",
        "proposal_yes": "Oui, d’accord", "proposal_no": "Non, plutôt pas",
        "proposal_sent": "Merci. {organisation} reçoit tes données et te contactera. Ton conseiller suit aussi.",
        "proposal_refused": "Compris : nous ne transmettons rien. Ton conseiller te contactera pour voir ce qui te convient.",
        "proposal_too_young": "Comme tu n’as pas encore {age} ans, un parent ou ton tuteur doit être d’accord. Ton conseiller vous contactera pour cela.",
        "proposal_answered_before": "Tu as déjà répondu à cette question.",
        "offer_guidance": "un accompagnement vers un emploi ou une formation", "offer_training": "une formation", "offer_work_experience": "une expérience de travail",
        "offer_welfare_support": "de l’aide pour d’autres soucis (logement, argent, santé)", "offer_other": "une autre offre",
        "language": "Langue",
    ]

    static let en: [String: String] = [
        "title": "Answer to your letter from VDAB", "intro": "Type the personal code from your letter and your date of birth. That way we know it is you.",
        "code": "Personal code", "code_hint": "As in your letter, for example K7QF2-M9XDA", "birth": "Date of birth", "birth_hint": "For example 14/03/2006",
        "continue": "Continue", "not_recognised": "We cannot find this code with this date of birth. Check them and try again.",
        "too_many": "Too many attempts. Try again in an hour, or call 0800 30 700 free of charge.",
        "expired": "This page has expired. Type your code again.", "problem": "There is a problem",
        "why_title": "Why you got this letter", "why_school": "You were at school at", "why_left": "until",
        "why_more": "You do not have a diploma or certificate yet. VDAB is happy to help you.",
        "choice_title": "What do you want to tell us?", "choose": "Choose an answer.", "text": "Anything else to say? (required if something is wrong)",
        "phone": "Phone number (if you want us to call you)", "email": "E-mail address", "moment": "When can we best call you?",
        "consent": "I allow VDAB to use my phone number and e-mail address to contact me about help with work or training. I can withdraw this at any time.",
        "send": "Send", "text_required": "Write what is wrong in the letter.", "consent_required": "Allow us to use your phone number or e-mail address, or leave them empty.",
        "too_long": "Your text is too long: at most 4,000 characters.",
        "thanks_title": "Thank you!", "thanks": "We have your answer. Your youth consultant will look at it and contact you if needed.",
        "proposal_title": "A proposal from your consultant", "proposal_text": "Your youth consultant proposes that {organisation} helps you: {offer}.",
        "proposal_question": "May VDAB give your name, your contact details, your age and the reason for this proposal to {organisation}? You can always withdraw this later with your consultant.",
        "proposal_yes": "Yes, that is fine", "proposal_no": "No, rather not",
        "proposal_sent": "Thank you. {organisation} gets your details and will contact you. Your consultant follows up too.",
        "proposal_refused": "Understood: we pass nothing on. Your consultant will contact you to see what suits you.",
        "proposal_too_young": "Because you are not {age} yet, a parent or your guardian has to agree. Your consultant will contact you about it.",
        "proposal_answered_before": "You have answered this question already.",
        "offer_guidance": "guidance towards work or training", "offer_training": "a training", "offer_work_experience": "work experience",
        "offer_welfare_support": "help with other worries (housing, money, health)", "offer_other": "another offer",
        "language": "Language",
    ]
}
