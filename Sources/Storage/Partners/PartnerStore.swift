import Domain
import Foundation
import SQLKit

/// Partner organisations, lots and referrals in storage (docs/partners.md). Every referral change
/// runs in one transaction: the referral re-read (and its version checked against the form's), the
/// rule applied (`Referral`'s functions), the referral written, its case following it
/// (`Case.followingReferral`), the case's events and the audit entry — or nothing.
extension Store {
    // MARK: - Organisations and lots

    static func provinceList(_ provinces: [Province]) -> String { provinces.map(\.rawValue).sorted().joined(separator: ",") }
    static func provinces(_ text: String?) -> [Province] { (text ?? "").split(separator: ",").compactMap { Province(rawValue: String($0)) } }

    /// Adds or updates an organisation by its code.
    @discardableResult
    public func savePartnerOrganisation(code: String, name: String, kind: PartnerOrganisation.Kind, contact: String, provinces: [Province],
                                        activeFrom: LocalDate, activeUntil: LocalDate?) async throws -> PartnerOrganisation {
        try await transaction { sql in
            if let row = try await self.bulk(sql, "SELECT id FROM partner_organisations WHERE code = ?", [.text(code)]).first, let id = row[0].integer {
                _ = try await self.bulk(sql, """
                    UPDATE partner_organisations SET name = ?, kind = ?, contact = ?, provinces = ?, active_from = ?, active_until = ? WHERE id = ?
                    """, [.text(name), .text(kind.rawValue), .text(contact), .text(Self.provinceList(provinces)), .text(activeFrom.iso),
                          BulkValue(activeUntil?.iso), .integer(id)])
                return PartnerOrganisation(id: id, code: code, name: name, kind: kind, contact: contact, provinces: provinces,
                                           activeFrom: activeFrom, activeUntil: activeUntil)
            }
            let row = try await self.bulk(sql, """
                INSERT INTO partner_organisations (code, name, kind, contact, provinces, active_from, active_until) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id
                """, [.text(code), .text(name), .text(kind.rawValue), .text(contact), .text(Self.provinceList(provinces)), .text(activeFrom.iso),
                      BulkValue(activeUntil?.iso)])
            return PartnerOrganisation(id: row[0][0].integer!, code: code, name: name, kind: kind, contact: contact, provinces: provinces,
                                       activeFrom: activeFrom, activeUntil: activeUntil)
        }
    }

    public func partnerOrganisations() async throws -> [PartnerOrganisation] {
        try await bulk(sql, "SELECT id, code, name, kind, contact, provinces, active_from, active_until FROM partner_organisations ORDER BY name", [])
            .compactMap { row in
                guard let kind = PartnerOrganisation.Kind(rawValue: row[3].text ?? ""), let from = LocalDate(iso: row[6].text ?? "") else { return nil }
                return PartnerOrganisation(id: row[0].integer!, code: row[1].text ?? "", name: row[2].text ?? "", kind: kind, contact: row[4].text ?? "",
                                           provinces: Self.provinces(row[5].text), activeFrom: from, activeUntil: row[7].text.flatMap { LocalDate(iso: $0) })
            }
    }

    @discardableResult
    public func addPartnerLot(organisationID: Int64, programme: String, provinces: [Province], capacityPerQuarter: Int, contractFrom: LocalDate,
                              contractUntil: LocalDate, responseWorkingDays: Int, intakeWorkingDays: Int) async throws -> PartnerLot {
        let row = try await bulk(sql, """
            INSERT INTO partner_lots (organisation_id, programme, provinces, capacity, contract_from, contract_until, response_days, intake_days)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
            """, [.integer(organisationID), .text(programme), .text(Self.provinceList(provinces)), .integer(Int64(capacityPerQuarter)),
                  .text(contractFrom.iso), .text(contractUntil.iso), .integer(Int64(responseWorkingDays)), .integer(Int64(intakeWorkingDays))])
        return PartnerLot(id: row[0][0].integer!, organisationID: organisationID, programme: programme, provinces: provinces,
                          capacityPerQuarter: capacityPerQuarter, contractFrom: contractFrom, contractUntil: contractUntil,
                          responseWorkingDays: responseWorkingDays, intakeWorkingDays: intakeWorkingDays)
    }

    public func partnerLots() async throws -> [PartnerLot] {
        try await bulk(sql, """
            SELECT id, organisation_id, programme, provinces, capacity, contract_from, contract_until, response_days, intake_days FROM partner_lots ORDER BY id
            """, []).compactMap { row in
            guard let from = LocalDate(iso: row[5].text ?? ""), let until = LocalDate(iso: row[6].text ?? "") else { return nil }
            return PartnerLot(id: row[0].integer!, organisationID: row[1].integer!, programme: row[2].text ?? "", provinces: Self.provinces(row[3].text),
                              capacityPerQuarter: Int(row[4].integer ?? 0), contractFrom: from, contractUntil: until,
                              responseWorkingDays: Int(row[7].integer ?? 5), intakeWorkingDays: Int(row[8].integer ?? 10))
        }
    }

    // MARK: - Referrals

    static let referralColumns = """
        id, case_id, organisation_id, lot_id, offer, reason_sealed, status, consent, proposed_on, sent_on, answer_due_on, answered_on,
        decline_reason_sealed, intake_on, outcome, outcome_on, closed_on, end_reason_sealed, version
        """

    func referral(_ row: [BulkValue]) throws -> Referral? {
        func text(_ i: Int) -> String? { row[i].text }
        func date(_ i: Int) -> LocalDate? { row[i].text.flatMap { LocalDate(iso: $0) } }
        func opened(_ i: Int) throws -> String? {
            guard let blob = row[i].blob, !blob.isEmpty else { return nil }
            return try keyring.openText(blob, context: "referrals.text")
        }
        guard let offer = ReferralOffer(rawValue: text(4) ?? ""), let status = ReferralStatus(rawValue: text(6) ?? ""),
              let proposed = date(8) else { return nil }
        let consent = text(7).flatMap { try? JSONDecoder().decode(Consent.self, from: Data($0.utf8)) }
        return Referral(id: row[0].integer!, caseID: row[1].integer!, organisationID: row[2].integer!, lotID: row[3].integer, offer: offer,
                        reason: try opened(5) ?? "", status: status, consent: consent, proposedOn: proposed, sentOn: date(9), answerDueOn: date(10),
                        answeredOn: date(11), declineReason: try opened(12), intakeOn: date(13),
                        outcome: text(14).flatMap(ReferralOutcome.init(rawValue:)), outcomeOn: date(15), closedOn: date(16),
                        endReason: try opened(17), version: Int(row[18].integer ?? 1))
    }

    func referralValues(_ r: Referral) throws -> [BulkValue] {
        func seal(_ text: String?) -> BulkValue { text.map { .blob(keyring.seal($0, context: "referrals.text")) } ?? .null }
        let consent = try r.consent.map { String(decoding: try JSONEncoder.sortedKeys.encode($0), as: UTF8.self) }
        return [.integer(r.caseID), .integer(r.organisationID), r.lotID.map { BulkValue.integer($0) } ?? .null, .text(r.offer.rawValue), seal(r.reason), .text(r.status.rawValue),
                BulkValue(consent), .text(r.proposedOn.iso), BulkValue(r.sentOn?.iso), BulkValue(r.answerDueOn?.iso), BulkValue(r.answeredOn?.iso),
                seal(r.declineReason), BulkValue(r.intakeOn?.iso), BulkValue(r.outcome?.rawValue), BulkValue(r.outcomeOn?.iso),
                BulkValue(r.closedOn?.iso), seal(r.endReason), .integer(Int64(r.version))]
    }

    /// The referrals of a case, newest first.
    public func referrals(ofCase caseID: Int64) async throws -> [Referral] {
        try await bulk(reader, "SELECT \(Self.referralColumns) FROM referrals WHERE case_id = ? ORDER BY id DESC", [.integer(caseID)]).compactMap(referral)
    }

    /// Writes a referral's change and makes its case follow, on a transaction.
    func store(_ referral: Referral, new: Bool, organisation: PartnerOrganisation, actor: Actor, note: String?, audit action: AuditAction,
               progress: Bool = false, today: LocalDate, _ sql: any SQLDatabase) async throws -> Referral {
        try await store(referral, new: new, organisation: organisation, eventActor: actor.username, note: note,
                        audit: { AuditEntry(actor, action, subject: $0) }, progress: progress, today: today, sql)
    }

    /// The same, for an actor without an account (the young person on the answer page): the name in
    /// the case history and the audit entry (given the person's subject) are the caller's.
    func store(_ referral: Referral, new: Bool, organisation: PartnerOrganisation, eventActor: String, note: String?,
               audit entry: (String?) -> AuditEntry, progress: Bool = false, today: LocalDate, _ sql: any SQLDatabase) async throws -> Referral {
        var saved = referral
        if new {
            let row = try await bulk(sql, """
                INSERT INTO referrals (case_id, organisation_id, lot_id, offer, reason_sealed, status, consent, proposed_on, sent_on, answer_due_on,
                answered_on, decline_reason_sealed, intake_on, outcome, outcome_on, closed_on, end_reason_sealed, version)
                VALUES \(Store.placeholders(rows: 1, columns: 18)) RETURNING id
                """, try referralValues(referral))
            saved.id = row[0][0].integer!
        } else {
            let values = try referralValues(referral)
            _ = try await bulk(sql, """
                UPDATE referrals SET case_id = ?, organisation_id = ?, lot_id = ?, offer = ?, reason_sealed = ?, status = ?, consent = ?, proposed_on = ?,
                sent_on = ?, answer_due_on = ?, answered_on = ?, decline_reason_sealed = ?, intake_on = ?, outcome = ?, outcome_on = ?, closed_on = ?,
                end_reason_sealed = ?, version = ? WHERE id = ?
                """, values + [.integer(referral.id)])
        }
        // A referral that was just sent: the organisation's system hears of it (when it has a webhook).
        if referral.status == .pending,
           try await bulk(sql, "SELECT COUNT(*) FROM partner_webhook_outbox WHERE referral_id = ?", [.integer(saved.id)])[0][0].integer == 0 {
            try await enqueueReferralNotice(saved, organisationID: organisation.id, sql)
        }
        guard let caseRow = try await sql.raw("SELECT * FROM cases WHERE id = \(bind: referral.caseID)").first() else { return saved }
        let state = try Case(row: caseRow)
        let others = try await bulk(sql, "SELECT COUNT(*) FROM referrals WHERE case_id = ? AND id <> ? AND status IN ('pending', 'accepted')",
                                    [.integer(referral.caseID), .integer(saved.id)])[0][0].integer ?? 0
        let now = timestamp()
        var events: [CaseEventRow] = []
        if progress {
            var row = CaseEventRow(caseID: state.id, at: now, actor: eventActor, event: .referralProgress(organisation: organisation.name))
            row.noteSealed = note.map { keyring.seal($0, context: "case_events.note") }
            events.append(row)
        } else {
            let (next, caseEvents) = state.followingReferral(referral, organisation: organisation.name, anotherOpen: others > 0, on: today)
            if next != state {
                try await sql.raw("""
                    UPDATE cases SET status = \(bind: next.status.rawValue), next_action = \(bind: next.nextAction), due_on = \(bind: next.dueOn?.iso),
                    suggestion = \(bind: next.suggestion?.rawValue), updated_at = \(bind: now) WHERE id = \(bind: state.id)
                    """).run()
            }
            for (index, event) in caseEvents.enumerated() {
                var row = CaseEventRow(caseID: state.id, at: now, actor: eventActor, event: event)
                if index == 0 { row.noteSealed = note.map { keyring.seal($0, context: "case_events.note") } }
                events.append(row)
            }
        }
        try await audit([entry(try await auditSubject(person: state.personID, sql))], on: sql)
        try await CaseEventRow.insert(events, sql, self)
        return saved
    }

    // MARK: - Consent on the answer page

    /// The case's referrals waiting for the young person's consent (proposed, not sent), with the
    /// organisation's name: what the answer page asks.
    public func referralsAwaitingConsent(caseID: Int64) async throws -> [(referral: Referral, organisation: String)] {
        let organisations = try await partnerOrganisations()
        return try await referrals(ofCase: caseID).filter { $0.status == .proposed }.compactMap { referral in
            organisations.first { $0.id == referral.organisationID }.map { (referral, $0.name) }
        }
    }

    public enum ConsentAnswer: Sendable, Equatable {
        /// Consent given: the referral went to the organisation.
        case sent(organisation: String)
        /// The young person does not want it: the referral is revoked, the consultant sees why.
        case refused
        /// Under the age of consent: a parent or guardian consents, through the consultant.
        case tooYoung
        /// No such referral of this case waiting for consent (answered before, or another case's).
        case notWaiting
    }

    /// The young person's answer on the answer page to a referral of their case (the case comes
    /// from the page's signed token): consent (given on the answer page, by the young person) sends
    /// it, a no revokes it with that reason; audited as the young person's own access.
    public func answerConsent(caseID: Int64, referralID: Int64, agree: Bool, ageOfConsent: Int, today: LocalDate,
                              requestID: String?) async throws -> ConsentAnswer {
        let organisations = try await partnerOrganisations()
        let lots = try await partnerLots()
        return try await transaction { sql in
            guard let row = try await self.bulk(sql, "SELECT \(Self.referralColumns) FROM referrals WHERE id = ? AND case_id = ?" + self.forUpdate,
                                                [.integer(referralID), .integer(caseID)]).first,
                  let current = try self.referral(row), current.status == .proposed,
                  let organisation = organisations.first(where: { $0.id == current.organisationID }) else { return .notWaiting }
            let changed: Referral
            if agree {
                let caseRow = try await sql.raw("SELECT person_id FROM cases WHERE id = \(bind: caseID)").first()
                let person = try await self.personRecordForCase(try caseRow?.decode(column: "person_id", as: Int64.self) ?? 0, on: today, sql)
                let consent = Consent(givenOn: today, channel: .answerPage, givenBy: .youngPerson, extras: [])
                do {
                    changed = try current.sending(with: consent, age: person?.birthDate.map { $0.age(on: today) }, ageOfConsent: ageOfConsent,
                                                  lot: lots.first { $0.id == current.lotID }, on: today)
                } catch ReferralRuleViolation.consentByParentRequired {
                    return .tooYoung
                }
            } else {
                changed = try current.revoking(because: Referral.refusedOnAnswerPage, on: today)
            }
            _ = try await self.store(changed, new: false, organisation: organisation, eventActor: CaseRules.youngPersonActor, note: nil,
                                     audit: { AuditEntry(youngPerson: .referralChanged(caseID), subject: $0, requestID: requestID) }, today: today, sql)
            return agree ? .sent(organisation: organisation.name) : .refused
        }
    }

    /// The consultant proposes a referral of a case in their scope (sent at once with consent),
    /// under `lotID` or, when nil, the organisation's lot that serves the case's province.
    public func proposeReferral(caseID: Int64, scope: CaseScope, organisationID: Int64, lotID: Int64?, offer: ReferralOffer, reason: String?,
                                consent: Consent?, ageOfConsent: Int, by actor: Actor, today: LocalDate) async throws -> Referral? {
        let organisations = try await partnerOrganisations()
        let lots = try await partnerLots()
        return try await transaction { sql in
            guard let caseRow = try await sql.raw("SELECT * FROM cases WHERE id = \(bind: caseID) AND \(scope.condition)").first() else {
                try await self.audit([AuditEntry(actor, .referralChanged(caseID), outcome: .denied)], on: sql)
                return nil
            }
            let state = try Case(row: caseRow)
            guard let organisation = organisations.first(where: { $0.id == organisationID }) else { throw ReferralRuleViolation.organisationNotAvailable }
            let lot = try lotID.map { id throws(ReferralRuleViolation) -> PartnerLot in
                guard let lot = lots.first(where: { $0.id == id }) else { throw .organisationNotAvailable }
                return lot
            } ?? lots.serving(organisationID, province: state.province, on: today)
            let open = try await self.bulk(sql, """
                SELECT COUNT(*) FROM referrals WHERE case_id = ? AND organisation_id = ? AND status IN ('proposed', 'pending', 'accepted')
                """, [.integer(caseID), .integer(organisationID)])[0][0].integer ?? 0
            let person = try await self.personRecordForCase(state.personID, on: today, sql)
            let age = person?.birthDate.map { $0.age(on: today) }
            let referral = try Referral.proposing(caseID: caseID, case: state.province, caseIsOpen: state.isOpen, to: organisation, lot: lot,
                                                  offer: offer, reason: reason, consent: consent, age: age, ageOfConsent: ageOfConsent,
                                                  organisationHasOpenReferral: open > 0, on: today)
            return try await self.store(referral, new: true, organisation: organisation, actor: actor, note: nil,
                                        audit: .referralChanged(caseID), today: today, sql)
        }
    }

    /// Who may change a referral: the consultant through the case's scope, or the partner through
    /// their organisation (and only while the referral is pending or accepted).
    public enum ReferralAccess: Sendable {
        case cases(CaseScope)
        case organisation(String)
    }

    /// Changes a referral, if `access` reaches it and `version` (the form's) is still current; nil
    /// when it is out of reach (audited as denied).
    public func changeReferral(_ id: Int64, version: Int?, access: ReferralAccess, by actor: Actor, note: String? = nil, ageOfConsent: Int = 18,
                               today: LocalDate, progress: Bool = false,
                               _ change: @escaping @Sendable (Referral, _ age: Int?) throws -> Referral) async throws -> Referral? {
        let organisations = try await partnerOrganisations()
        return try await transaction { sql in
            guard let row = try await self.bulk(sql, "SELECT \(Self.referralColumns) FROM referrals WHERE id = ?" + self.forUpdate, [.integer(id)]).first,
                  let current = try self.referral(row), let organisation = organisations.first(where: { $0.id == current.organisationID }) else {
                try await self.audit([AuditEntry(actor, .referralChanged(0), outcome: .denied)], on: sql)
                return nil
            }
            let reachable: Bool
            switch access {
            case .cases(let scope):
                reachable = try await sql.raw("SELECT id FROM cases WHERE id = \(bind: current.caseID) AND \(scope.condition)").first() != nil
            case .organisation(let code):
                reachable = organisation.code == code && current.status.isVisibleToPartner
            }
            guard reachable else {
                try await self.audit([AuditEntry(actor, .referralChanged(current.caseID), outcome: .denied)], on: sql)
                return nil
            }
            if let version, version != current.version { throw ReferralRuleViolation.stale }
            let caseRow = try await sql.raw("SELECT person_id FROM cases WHERE id = \(bind: current.caseID)").first()
            let person = try await self.personRecordForCase(try caseRow?.decode(column: "person_id", as: Int64.self) ?? 0, on: today, sql)
            let changed = try change(current, person?.birthDate.map { $0.age(on: today) })
            return try await self.store(changed, new: false, organisation: organisation, actor: actor, note: note,
                                        audit: progress ? .referralProgress(current.caseID) : .referralChanged(current.caseID), progress: progress,
                                        today: today, sql)
        }
    }

    var forUpdate: String { dialect == .postgres ? " FOR UPDATE" : "" }

    /// The register's current state of a person (for the age of consent, the partner's view).
    func personRecordForCase(_ personID: Int64, on day: LocalDate, _ sql: any SQLDatabase) async throws -> PersonRecord? {
        let facts = try await personFacts(personID, on: sql)
        guard let insz = PersonTimeline.insz(of: facts) else { return nil }
        return PersonTimeline(insz: insz, versions: facts).personRecord(on: day)?.1
    }

    // MARK: - The partner's workspace

    /// The referrals a partner's organisation may see (pending or accepted), oldest first: no
    /// personal data in the list itself beyond the name shown on the page (the read is audited per case).
    public func partnerReferrals(organisation code: String) async throws -> [Referral] {
        try await visibleReferrals(organisation: code, id: nil)
    }

    /// An organisation's referrals it may see (pending or accepted): all, or the one with `id`.
    func visibleReferrals(organisation code: String, id: Int64?) async throws -> [Referral] {
        let columns = Self.referralColumns.split(separator: ",").map { "r." + $0.trimmingCharacters(in: .whitespacesAndNewlines) }.joined(separator: ", ")
        return try await bulk(sql, """
            SELECT \(columns) FROM referrals r JOIN partner_organisations o ON o.id = r.organisation_id
            WHERE o.code = ? AND r.status IN ('pending', 'accepted')\(id == nil ? "" : " AND r.id = ?") ORDER BY r.id
            """, [.text(code)] + (id.map { [.integer($0)] } ?? [])).compactMap(referral)
    }

    /// What a partner sees of one referral — name, contact details, age, reason, consultant, and
    /// what the consent adds — after the audit entry; nil (audited as denied) when it is not theirs
    /// or no longer pending or accepted.
    public func partnerReferral(_ id: Int64, organisation code: String, actor: Actor, today: LocalDate) async throws -> PartnerView? {
        guard let referral = try await visibleReferrals(organisation: code, id: id).first,
              let caseRow = try await sql.raw("SELECT * FROM cases WHERE id = \(bind: referral.caseID)").first() else {
            try await audit(AuditEntry(actor, .referralRead(0), outcome: .denied))
            return nil
        }
        let state = try Case(row: caseRow)
        try await audit(AuditEntry(actor, .referralRead(state.id), subject: try await auditSubject(person: state.personID, sql)))
        let facts = try await personFacts(state.personID)
        let person = PersonTimeline.insz(of: facts).flatMap { PersonTimeline(insz: $0, versions: facts).personRecord(on: today)?.1 }
        let names = try await displayNames()
        var school: String?
        if referral.consent?.extras.contains(.schoolHistory) == true {
            school = facts.compactMap { fact -> (LocalDate, String)? in
                guard case .enrolment(let e) = fact.record.body else { return nil }
                return (e.startDate, "\(e.schoolName) (\(e.startDate.iso) – \(e.endDate?.iso ?? "…"))")
            }.sorted { $0.0 < $1.0 }.map(\.1).joined(separator: "; ")
        }
        return PartnerView(referral: referral, caseNumber: state.number, name: person?.fullName ?? "–",
                           address: person.flatMap { LetterAddress.line($0) }, birthDate: person?.birthDate,
                           age: person?.birthDate.map { $0.age(on: today) }, consultant: state.consultant.map { names[$0] ?? $0 },
                           province: state.province, schoolHistory: school)
    }
}

/// A referral as the partner sees it.
public struct PartnerView: Sendable {
    public var referral: Referral
    public var caseNumber: String
    public var name: String
    public var address: String?
    public var birthDate: LocalDate?
    public var age: Int?
    public var consultant: String?
    public var province: Province?
    /// Only when the consent covers it.
    public var schoolHistory: String?
}

/// A person's address on one line.
enum LetterAddress {
    static func line(_ p: PersonRecord) -> String? {
        guard let street = p.street else { return nil }
        let number = [p.houseNumber, p.box.map { "bus \($0)" }].compactMap { $0 }.joined(separator: " ")
        return [number.isEmpty ? street : "\(street) \(number)", [p.postcode, p.municipality].compactMap { $0 }.joined(separator: " ")]
            .joined(separator: ", ")
    }
}
