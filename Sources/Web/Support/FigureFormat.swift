import Domain

/// Figures as a page, a CSV-free report or a table shows them: a share as "42,5 %" (nl) or
/// "42.5%" (en), a decimal with one digit. One place, so the dashboard, the schools page and the
/// status report write them alike.
enum FigureFormat {
    static func percent(_ share: Double, _ language: Language) -> String {
        let tenths = Int((share * 1000).rounded())
        return language == .en ? "\(tenths / 10).\(tenths % 10)%" : "\(tenths / 10),\(tenths % 10) %"
    }

    static func decimal(_ value: Double, _ language: Language) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10)\(language == .en ? "." : ",")\(tenths % 10)"
    }
}
