/// Partner organisations, their lots, and referrals of cases to them (docs/partners.md).
///
/// - `partner_organisations`: name, kind, contact, provinces, active period; `code` is what partner
///   users and tokens carry (`users.organisation`).
/// - `partner_lots`: a tender partner's programme, provinces, capacity per quarter, contract period
///   and agreed response times.
/// - `referrals`: one row per referral with its state, the consent it was sent with (JSON: when,
///   how, by whom, what extra is shared), its dates and outcome, and a version for stale forms.
///   Its history is in `case_events` (kind `referral`, `referral_progress`).
struct CreatePartners: SQLMigration {
    let store: Store
    var name: String { "011_CreatePartners" }

    func up() -> [String] {
        [
            """
            CREATE TABLE partner_organisations (
                id \(id),
                code TEXT NOT NULL UNIQUE,
                name TEXT NOT NULL,
                kind TEXT NOT NULL,
                contact TEXT NOT NULL,
                provinces TEXT NOT NULL,
                active_from TEXT NOT NULL,
                active_until TEXT
            )
            """,
            """
            CREATE TABLE partner_lots (
                id \(id),
                organisation_id BIGINT NOT NULL,
                programme TEXT NOT NULL,
                provinces TEXT NOT NULL,
                capacity INTEGER NOT NULL,
                contract_from TEXT NOT NULL,
                contract_until TEXT NOT NULL,
                response_days INTEGER NOT NULL,
                intake_days INTEGER NOT NULL
            )
            """,
            """
            CREATE TABLE referrals (
                id \(id),
                case_id BIGINT NOT NULL,
                organisation_id BIGINT NOT NULL,
                lot_id BIGINT,
                offer TEXT NOT NULL,
                reason_sealed \(binary) NOT NULL,
                status TEXT NOT NULL,
                consent TEXT,
                proposed_on TEXT NOT NULL,
                sent_on TEXT,
                answer_due_on TEXT,
                answered_on TEXT,
                decline_reason_sealed \(binary),
                intake_on TEXT,
                outcome TEXT,
                outcome_on TEXT,
                closed_on TEXT,
                end_reason_sealed \(binary),
                version INTEGER NOT NULL
            )
            """,
            "CREATE INDEX referrals_by_case ON referrals (case_id)",
            "CREATE INDEX referrals_by_organisation ON referrals (organisation_id, status)",
        ]
    }

    func down() -> [String] {
        ["DROP INDEX referrals_by_organisation", "DROP INDEX referrals_by_case", "DROP TABLE referrals", "DROP TABLE partner_lots",
         "DROP TABLE partner_organisations"]
    }
}
