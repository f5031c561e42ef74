import Domain
import Foundation
import Testing
@testable import Web

/// The caseload's rows are written in Swift (`CasePages.rowsHTML`): the same cells, labels for the
/// narrow screen, and every value as text, never as markup.
@Suite struct CaseloadRowsTests {
    static func row(name: String, overdue: Bool = false) -> CasePages.Row {
        CasePages.Row(number: "VN-2026-000042", name: name, age: "17", place: "Sint-Niklaas", school: "Atheneum \"De Ring\"",
                      status: "Nieuw", due: "04-12-2026", overdue: overdue, consultant: "An O'Neill", track: "BSO")
    }

    @Test func aRowHasEveryCellWithItsLabelAndEscapesWhatItShows() {
        let t = Texts.table(.nl)
        let html = CasePages.rowsHTML([Self.row(name: "<script>alert(1)</script> & co", overdue: true)], t, overdueTable: false)
        #expect(!html.contains("<script>"), "a name is text")
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"))
        #expect(html.contains("Atheneum &quot;De Ring&quot;") && html.contains("An O&#39;Neill"), "as Leaf escapes #(…)")
        #expect(html.contains("<a href=\"/cases/VN-2026-000042\">VN-2026-000042</a>"))
        for key in ["col_case", "col_name", "col_age", "col_place", "col_school", "col_status", "col_due", "col_consultant"] {
            #expect(html.contains("data-label=\"\(t[key]!)\""), "\(key)")
        }
        #expect(html.contains("<span class=\"badge overdue\">\(t["overdue_badge"]!)</span> 04-12-2026"))
        #expect(html.components(separatedBy: "<td").count - 1 == 8)
    }

    @Test func theOverdueTableHasNoSchoolAndMarksEveryRow() {
        let t = Texts.table(.en)
        let html = CasePages.rowsHTML([Self.row(name: "Zoë"), Self.row(name: "Anna")], t, overdueTable: true)
        #expect(!html.contains("Atheneum") && !html.contains(t["col_school"]!))
        #expect(html.components(separatedBy: "badge overdue").count - 1 == 2)
        #expect(html.components(separatedBy: "<tr>").count - 1 == 2 && html.contains("Zoë"))
        #expect(CasePages.rowsHTML([], t, overdueTable: false) == "")
    }
}
