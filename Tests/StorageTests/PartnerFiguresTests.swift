import Domain
import Foundation
import Storage
import TestSupport
import Testing

/// The tender monitoring's figures: the outcomes a partner reported cannot give a small count away
/// through the done total, and a team lead's figures are their own provinces'.
@Suite struct PartnerFiguresTests {
    @Test(arguments: StoreKind.allCases)
    func reportedOutcomesAreProtectedAgainstTheDoneTotalAndScopedToProvinces(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let day = date("2026-06-01")
            try await deliver([PersonBuilder(born: "2006-03-14", serial: 101).enrolled(from: "2023-09-01", to: "2025-03-10", exit: .pupilOrParents)
                .lives(postcode: "2000")], to: store)
            _ = try await pipeline(store, on: day.iso).run()
            let caseID = try #require(try await store.openCases(scope: .all, limit: 1).first?.id)
            let organisation = try await store.savePartnerOrganisation(code: "springplank", name: "Springplank vzw", kind: .tenderPartner,
                                                                       contact: "-", provinces: [.antwerpen], activeFrom: day, activeUntil: nil)
            let consent = Consent(givenOn: day, channel: .spoken, givenBy: .youngPerson, extras: [])
            // Twelve referrals one after the other, done: eleven in work, one stopped.
            for index in 0..<12 {
                let referral = try #require(try await store.proposeReferral(
                    caseID: caseID, scope: .all, organisationID: organisation.id, lotID: nil, offer: .guidance, reason: "Traject \(index)",
                    consent: consent, ageOfConsent: 18, by: testActor, today: day))
                _ = try await store.changeReferral(referral.id, version: nil, access: .cases(.all), by: testActor, today: day) { r, _ in
                    try r.accepting(on: day)
                }
                _ = try await store.changeReferral(referral.id, version: nil, access: .cases(.all), by: testActor, today: day) { r, _ in
                    try r.finishing(outcome: index < 11 ? .inWork : .stopped, on: day, today: day)
                }
            }
            let line = try #require(try await store.partnerFigures(today: day).lines.first)
            #expect(line.sent == "12" && line.bars.first { $0.step == "done" }?.value == "12")
            #expect(line.reportedOther == "<10")
            // 12 done − 11 in work − 0 in education would give the small count away: hidden too.
            #expect(line.reportedInWork == "×", "\(line)")
            #expect(line.reportedInEducation == "0")
            #expect(try await store.partnerFigures(today: day, provinces: [.antwerpen]).lines.count == 1)
            #expect(try await store.partnerFigures(today: day, provinces: [.limburg]).lines.isEmpty, "another province's team lead")
        }
    }
}
