import Domain

/// The letter texts, per kind and language, each with a version: a letter records the template
/// and version it was made from, so that what was sent can always be shown again exactly. Change
/// a text by adding a new version (the old one stays for letters already made).
///
/// Plain language (B1): short sentences, "je" in Dutch as VDAB writes to young people, one thing
/// per paragraph, what to do first.
public enum LetterTemplates {
    public static let version = 1

    public struct Fields: Sendable {
        public var kind: LetterKind
        public var language: LetterLanguage
        public var firstName: String
        public var consultant: String
        public var office: Office
        public var code: AnswerCode
        public var answerAddress: String
        /// The day the case opened (the reminder refers to the first letter).
        public var firstLetterOn: LocalDate?

        public init(kind: LetterKind, language: LetterLanguage, firstName: String, consultant: String, office: Office,
                    code: AnswerCode, answerAddress: String, firstLetterOn: LocalDate? = nil) {
            self.kind = kind
            self.language = language
            self.firstName = firstName
            self.consultant = consultant
            self.office = office
            self.code = code
            self.answerAddress = answerAddress
            self.firstLetterOn = firstLetterOn
        }
    }

    public static func templateID(_ kind: LetterKind, _ language: LetterLanguage) -> String {
        "\(kind.rawValue).\(language.rawValue).\(version)"
    }

    /// The letter, made from the current version of its template.
    public static func letter(_ fields: Fields, recipient: LetterRecipient, reference: String, date: LocalDate) -> Letter {
        let text = paragraphs(fields)
        return Letter(kind: fields.kind, language: fields.language, template: templateID(fields.kind, fields.language),
                      reference: reference, date: date, addressLines: recipient.addressLines, salutation: text.salutation,
                      paragraphs: text.body, signature: signature(fields), code: fields.code, answerAddress: fields.answerAddress,
                      labels: labels(fields.language))
    }

    static func signature(_ f: Fields) -> [String] {
        let role = switch f.language {
        case .nl: "jongerenconsulent"
        case .fr: "conseiller jeunes"
        case .en: "youth consultant"
        }
        return [f.consultant, "\(role), \(f.office.name)", "\(f.office.street), \(f.office.postcode) \(f.office.municipality)",
                "\(f.office.phone) · \(f.office.email)"]
    }

    static func labels(_ language: LetterLanguage) -> LetterLabels {
        switch language {
        case .nl: LetterLabels(date: "Datum", reference: "Referentie", code: "Jouw persoonlijke code", answerHere: "Antwoord op")
        case .fr: LetterLabels(date: "Date", reference: "Référence", code: "Ton code personnel", answerHere: "Réponds sur")
        case .en: LetterLabels(date: "Date", reference: "Reference", code: "Your personal code", answerHere: "Answer at")
        }
    }

    static func paragraphs(_ f: Fields) -> (salutation: String, body: [String]) {
        let code = f.code.grouped
        switch (f.kind, f.language) {
        case (.invitation, .nl):
            return ("Dag \(f.firstName),", [
                "Je bent gestopt met school, maar je hebt nog geen diploma of getuigschrift. Dat is niet erg: VDAB helpt je graag verder.",
                "Ik ben \(f.consultant), jongerenconsulent bij VDAB. Samen zoeken we wat bij jou past: een job, een opleiding of terug naar school.",
                "Laat me weten wat je wilt. Ga naar \(f.answerAddress) en tik je persoonlijke code \(code) en je geboortedatum in. Je kunt me ook bellen of mailen.",
                "Het kost je niets. Je zit nergens aan vast.",
                "Tot binnenkort!",
            ])
        case (.invitation, .fr):
            return ("Bonjour \(f.firstName),", [
                "Tu as arrêté l’école, mais tu n’as pas encore de diplôme ou de certificat. Ce n’est pas grave : le VDAB est là pour t’aider.",
                "Je suis \(f.consultant), conseiller jeunes au VDAB. Ensemble, nous cherchons ce qui te convient : un emploi, une formation ou un retour à l’école.",
                "Dis-moi ce que tu veux. Va sur \(f.answerAddress) et tape ton code personnel \(code) et ta date de naissance. Tu peux aussi m’appeler ou m’écrire.",
                "C’est gratuit. Tu ne t’engages à rien.",
                "À bientôt !",
            ])
        case (.invitation, .en):
            return ("Hello \(f.firstName),", [
                "You have left school, but you do not have a diploma or certificate yet. That is all right: VDAB is happy to help you.",
                "I am \(f.consultant), youth consultant at VDAB. Together we look for what suits you: a job, a training or going back to school.",
                "Let me know what you want. Go to \(f.answerAddress) and type your personal code \(code) and your date of birth. You can also call or e-mail me.",
                "It costs you nothing. You are not bound to anything.",
                "Talk to you soon!",
            ])
        case (.reminder, .nl):
            return ("Dag \(f.firstName),", [
                "Een tijdje geleden stuurde ik je een brief. Ik heb nog niets van je gehoord. Misschien is de brief verloren gegaan, of had je nog geen tijd.",
                "Ik help je graag bij het zoeken naar een job, een opleiding of een school. Laat me weten wat je wilt: ga naar \(f.answerAddress) en tik je code \(code) en je geboortedatum in. Of bel of mail me.",
                "Werk je al, of ga je weer naar school? Zeg het ook even. Dan weet ik dat het goed met je gaat.",
            ])
        case (.reminder, .fr):
            return ("Bonjour \(f.firstName),", [
                "Il y a quelque temps, je t’ai envoyé une lettre. Je n’ai pas encore eu de tes nouvelles. La lettre s’est peut-être perdue, ou tu n’as pas encore eu le temps.",
                "Je t’aide volontiers à trouver un emploi, une formation ou une école. Dis-moi ce que tu veux : va sur \(f.answerAddress) et tape ton code \(code) et ta date de naissance. Ou appelle-moi, ou écris-moi.",
                "Tu travailles déjà, ou tu es retourné à l’école ? Dis-le-moi aussi. Comme ça, je sais que tout va bien.",
            ])
        case (.reminder, .en):
            return ("Hello \(f.firstName),", [
                "A while ago I sent you a letter. I have not heard from you yet. Maybe the letter got lost, or you did not have time yet.",
                "I am happy to help you find a job, a training or a school. Let me know what you want: go to \(f.answerAddress) and type your code \(code) and your date of birth. Or call or e-mail me.",
                "Do you already work, or are you back at school? Let me know too. Then I know you are doing well.",
            ])
        case (.registrationNotice, .nl):
            return ("Dag \(f.firstName),", [
                "Je bent gestopt met school zonder diploma of getuigschrift. Daarom heeft VDAB je ingeschreven als werkzoekende. Zo kun je meteen hulp krijgen.",
                "Ik ben \(f.consultant), jongerenconsulent bij VDAB. Ik neem binnenkort contact met je op. Samen zoeken we een job, een opleiding of een school die bij je past.",
                "Werk je al, of ga je weer naar school? Laat het me weten: ga naar \(f.answerAddress) en tik je code \(code) en je geboortedatum in. Of bel of mail me.",
            ])
        case (.registrationNotice, .fr):
            return ("Bonjour \(f.firstName),", [
                "Tu as arrêté l’école sans diplôme ni certificat. C’est pourquoi le VDAB t’a inscrit comme demandeur d’emploi. Ainsi, tu peux recevoir de l’aide tout de suite.",
                "Je suis \(f.consultant), conseiller jeunes au VDAB. Je te contacterai bientôt. Ensemble, nous cherchons un emploi, une formation ou une école qui te convient.",
                "Tu travailles déjà, ou tu es retourné à l’école ? Dis-le-moi : va sur \(f.answerAddress) et tape ton code \(code) et ta date de naissance. Ou appelle-moi, ou écris-moi.",
            ])
        case (.registrationNotice, .en):
            return ("Hello \(f.firstName),", [
                "You left school without a diploma or certificate. That is why VDAB registered you as a job seeker. This way you can get help right away.",
                "I am \(f.consultant), youth consultant at VDAB. I will contact you soon. Together we look for a job, a training or a school that suits you.",
                "Do you already work, or are you back at school? Let me know: go to \(f.answerAddress) and type your code \(code) and your date of birth. Or call or e-mail me.",
            ])
        }
    }
}
