/// Webhooks to partner organisations (docs/partners.md): an organisation's endpoint and secret,
/// and the outbox of notices — "a referral was sent to you" — written in the same transaction as
/// the referral, delivered signed (Standard Webhooks) by the webhook worker. The notice names the
/// referral, never the young person: the partner's system then reads it through the API.
struct CreatePartnerWebhooks: SQLMigration {
    let store: Store
    var name: String { "012_CreatePartnerWebhooks" }

    func up() -> [String] {
        [
            "ALTER TABLE partner_organisations ADD COLUMN webhook_url TEXT",
            "ALTER TABLE partner_organisations ADD COLUMN webhook_secret_sealed \(binary)",
            """
            CREATE TABLE partner_webhook_outbox (
                id \(id),
                organisation_id BIGINT NOT NULL,
                referral_id BIGINT NOT NULL,
                idempotency_key TEXT NOT NULL UNIQUE,
                body TEXT NOT NULL,
                status TEXT NOT NULL,
                attempts INTEGER NOT NULL,
                next_attempt_at TEXT NOT NULL,
                last_error TEXT,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL
            )
            """,
            "CREATE INDEX partner_webhook_outbox_due ON partner_webhook_outbox (status, next_attempt_at)",
        ]
    }

    func down() -> [String] {
        ["DROP INDEX partner_webhook_outbox_due", "DROP TABLE partner_webhook_outbox",
         "ALTER TABLE partner_organisations DROP COLUMN webhook_secret_sealed", "ALTER TABLE partner_organisations DROP COLUMN webhook_url"]
    }
}
