import LeafKit

/// Text put into HTML written by Swift rather than by a template (the caseload's rows, the charts,
/// the status report, the person's report): escaped by the same function Leaf applies to `#(…)`,
/// so that either way a name reads as text.
enum HTML {
    static func escape(_ text: String) -> String { text.htmlEscaped() }
}
