import Domain
import Linkage
import Workflows

/// One row of a side-by-side comparison of two identities — the steward's review of a proposed
/// link, the comparison before a merge, a merge's page: the field in words, both values, and, when
/// linkage weighed the pair, what the field says for or against one person.
struct FieldComparison: Encodable {
    let field: String
    let left: String
    let right: String
    let verdict: String
    let supports: Bool

    init(_ field: LinkageField, _ left: String?, _ right: String?, terms: [LinkTerm], _ language: LinkageLanguage) {
        func shown(_ value: String?) -> String { value.flatMap { $0.isEmpty ? nil : $0 } ?? "–" }
        self.field = language.name(field).capitalizedFirst
        self.left = shown(left)
        self.right = shown(right)
        let term = terms.first { $0.field == "\(field)" }
        verdict = term?.verdict(language) ?? "–"
        supports = term?.supports ?? false
    }

    /// A national number with its kind: "06.63.14-102.68 (BIS-nummer)".
    static func number(_ insz: INSZ?, _ t: TextTable) -> String? {
        insz.map { $0.formatted + " (" + ($0.kind == .bis ? t["merge_bis_number"]! : t["merge_register_number"]!) + ")" }
    }

    /// The rows of two register states after their numbers: names, birth date, sex, address.
    static func identityRows(_ left: PersonRecord?, _ right: PersonRecord?, terms: [LinkTerm], _ language: Language) -> [FieldComparison] {
        let t = Texts.table(language)
        let words = language.words
        let linkage: LinkageLanguage = language == .en ? .english : .dutch
        func row(_ field: LinkageField, _ value: (PersonRecord) -> String?) -> FieldComparison {
            FieldComparison(field, left.flatMap(value), right.flatMap(value), terms: terms, linkage)
        }
        return [
            row(.givenName) { $0.firstName }, row(.surname) { $0.lastName }, row(.birthDate) { $0.birthDate.map(words.date) },
            row(.sex) { $0.sex.map { t["sex_" + $0.rawValue] ?? $0.rawValue } }, row(.address) { $0.addressLine },
        ]
    }
}
