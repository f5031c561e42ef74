import Domain
import Foundation
import Ingest
import TestSupport
import Testing

/// The MAGDA readers against every real sample response in ../shared/magda/responses.
@Suite(.enabled(if: MAGDASamples.available, "MAGDA samples not found: ../shared/magda or VANGNET_MAGDA_SAMPLES"))
struct MAGDAReaderTests {
    static let services = ["Onderwijs/GeefHistoriekInschrijving/02.01.0000", "LED/GeefBewijs/02.00.0000",
                           "Persoon/GeefPersoon/02.02.0000", "Werk/GeefWerkrelaties/02.00.0000"]

    @Test(arguments: services)
    func everySampleIsReadOrRejectedWithAReason(service: String) throws {
        let files = MAGDASamples.files(service)
        #expect(files.count > 20)
        var records = 0
        var rejections: [QuarantineReason: Int] = [:]
        for file in files {
            let items = try readAll(file)
            #expect(!items.isEmpty, "\(file) gave nothing")
            for item in items {
                switch item {
                case .record: records += 1
                case .rejected(let rejection):
                    rejections[rejection.reason, default: 0] += 1
                    #expect(!rejection.message.isEmpty)
                    #expect(!rejection.original.isEmpty, "\(file): a rejection keeps the original")
                }
            }
        }
        #expect(records > 20)
        #expect(rejections[.magdaException, default: 0] >= 1, "the notfound.xml answer is rejected as an exception")
    }

    @Test func anEnrolmentHistoryBecomesEnrolments() throws {
        let items = try readAll(MAGDASamples.file(Self.services[0], "00671031676.xml"))
        let enrolments = items.compactMap(\.record)
        #expect(enrolments.count == 4)
        let first = try #require(enrolments.first { $0.recordID == "9bb39edf-51e5-4e59-af00-f10f275b675d" })
        #expect(first.source == .agodi)
        #expect(first.insz.digits == "00671031676")
        guard case .enrolment(let enrolment) = first.body else { Issue.record("not an enrolment"); return }
        #expect(enrolment.programme == .fulltime)
        #expect(enrolment.level == .secondary)
        #expect(enrolment.schoolNumber == "40601")
        #expect(enrolment.schoolPostcode == "2180")
        #expect(enrolment.startDate == LocalDate(iso: "2013-09-01"))
        #expect(enrolment.endDate == LocalDate(iso: "2014-08-31"))
        #expect(enrolment.exitReason == .endOfSchoolYear)
        #expect(enrolment.situationAfter == .unknown)
        #expect(enrolment.schoolYear?.description == "2013-2014")
        let aso = enrolments.compactMap { (record: SourceRecord) -> Enrolment? in
            if case .enrolment(let e) = record.body { e } else { nil }
        }.filter { $0.track == .aso }
        #expect(aso.count == 3)
    }

    @Test func syntraApprenticeshipsComeFromSyntra() throws {
        let file = try #require(MAGDASamples.files(Self.services[0]).first {
            (try? String(contentsOfFile: $0, encoding: .utf8))?.contains(">Syntra<") ?? false
        })
        let syntra = try readAll(file).compactMap(\.record).filter { $0.source == .syntra }
        #expect(!syntra.isEmpty)
        for record in syntra {
            guard case .enrolment(let e) = record.body else { Issue.record("a Syntra \(record.kind.rawValue), not an enrolment"); continue }
            #expect(e.programme == .apprenticeship)
        }
    }

    @Test func aNotFoundAnswerIsAnExceptionNotSilence() throws {
        let items = try readAll(MAGDASamples.file(Self.services[0], "notfound.xml"))
        #expect(items.count == 1)
        #expect(items[0].rejection?.reason == .magdaException)
        #expect(items[0].rejection?.message.contains("30101") == true)
    }

    @Test func certificatesMapToTheQualificationsOfTheDefinition() throws {
        let items = try readAll(MAGDASamples.file(Self.services[1], "00671031676.xml"))
        let record = try #require(items.first?.record)
        #expect(record.source == .ahovoks)
        #expect(record.recordID == "fc3a6b79-7e65-4a39-b1b4-26ca8bf3f204")
        #expect(record.recordedAt == "2014-07-12T03:33:04.638")
        guard case .qualification(let q) = record.body else { Issue.record("not a qualification"); return }
        #expect(q.certificateType == .gradeCertificate)
        #expect(q.awardDate == LocalDate(iso: "2014-06-30"))
        #expect(q.status == .registered)

        var types: Set<Qualification.CertificateType> = []
        var unknownCodes = 0
        for file in MAGDASamples.files(Self.services[1]) {
            for item in try readAll(file) {
                if case .qualification(let q) = item.record?.body { types.insert(q.certificateType) }
                if item.rejection?.reason == .unknownCode { unknownCodes += 1 }
            }
        }
        #expect(types.isSuperset(of: [.secondaryDiploma, .bsoStudyCertificate, .partialCertificate, .attest,
                                      .gradeCertificate, .higherEducationDegree, .experienceCertificate]))
        #expect(unknownCodes == 1, "DiplomaXYZ is rejected as an unknown code")
    }

    @Test func aPersonGetsNameAddressAndStatus() throws {
        let item = try #require(try readAll(MAGDASamples.file(Self.services[2], "00600099536.xml")).first)
        let record = try #require(item.record)
        #expect(record.source == .populationRegister)
        #expect(!record.recordID.contains("00600099536"), "the record id never carries the INSZ")
        guard case .person(let p) = record.body else { Issue.record("not a person"); return }
        #expect(p.firstName == "Hamid")
        #expect(p.lastName == "Daoud")
        #expect(p.postcode == "3070")
        #expect(p.municipality == "Kortenberg")
        #expect(p.birthDate == nil, "2000-00-00 is a partial date")

        let emigrated = try #require(try readAll(MAGDASamples.file(Self.services[2], "00630299891.xml")).first?.record)
        guard case .person(let abroad) = emigrated.body else { Issue.record("not a person"); return }
        #expect(abroad.emigrationDate == LocalDate(iso: "2012-07-10"))
        #expect(abroad.country == "NOR")
        #expect(!abroad.livesInBelgium)
    }

    @Test func dimonaDeclarationsBecomeEmploymentPeriods() throws {
        let records = try readAll(MAGDASamples.file(Self.services[3], "00630300287.xml")).compactMap(\.record)
        #expect(records.count == 1)
        guard case .employment(let period) = records.first?.body else { Issue.record("not read"); return }
        #expect(period.employerNumber == "0456123791")
        #expect(period.startDate == LocalDate(iso: "2019-09-08"))
        #expect(period.endDate == LocalDate(iso: "2022-02-28"))
        #expect(period.cancelled == false)
        #expect(records.first?.recordID == "7765432178")
        #expect(try readAll(MAGDASamples.file(Self.services[3], "77670700132.xml")).compactMap(\.record).count == 2)
    }

    @Test func aNumberThatFailsTheCheckIsRejectedForEveryContract() throws {
        let items = try readAll(MAGDASamples.file(Self.services[3], "01691214397.xml"))
        #expect(items.count == 4)
        #expect(items.allSatisfy { $0.rejection?.reason == .invalidINSZ })
        #expect(Set(items.compactMap { $0.rejection?.recordID }) == ["7765436998", "7765437001", "7765431234"])
    }

    @Test func inProductionMAGDATestNumbersAreRejected() throws {
        let production = IngestOptions(allowTestNumbers: false, today: testToday) { _ in "k" }
        let items = try readAll(MAGDASamples.file(Self.services[1], "00671031676.xml"), options: production)
        #expect(items.first?.rejection?.reason == .invalidINSZ)
        #expect(items.first?.rejection?.message.contains("test") == true)
    }

    @Test func malformedXMLIsRejectedNotCrashed() throws {
        let folder = TemporaryFolder()
        let broken = folder.write("broken.xml", "<GeefBewijsResponse><Repliek><Antwoorden>")
        #expect(try readAll(broken).first?.rejection?.reason == .malformedXML)
        let other = folder.write("other.xml", "<SomethingElse/>")
        #expect(try readAll(other).first?.rejection?.reason == .malformedXML)
    }
}

/// The KSZ job-seeker status notification (notifyJobSeekerStatusV1.xsd). ../shared/magda has no
/// sample of it, so each test writes a small synthetic one with valid MAGDA test numbers.
@Suite struct NotifyJobSeekerStatusTests {
    let folder = TemporaryFolder()
    let leaver = INSZ.make(birthDate: date("2006-03-14"), serial: 101, monthOffset: 60)
    let other = INSZ.make(birthDate: date("2007-11-02"), serial: 233, monthOffset: 60)

    /// A notification as KSZ sends it: a prefixed root in the service's namespace, unqualified children.
    func notification(_ jobSeekers: String...) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <ns2:notifyJobSeekerStatus xmlns:ns2="http://kszbcss.fgov.be/intf/jobseekerstatus/notify/v1">
          <sender><organizationIdentification><sector>25</sector><institution>0</institution></organizationIdentification></sender>
          <receiver><organizationIdentification><cbeNumber>0123456749</cbeNumber></organizationIdentification></receiver>
          <legalContext>VANGNET:JOBSEEKERSTATUS</legalContext>
          <sequenceNumber>42</sequenceNumber>
          <jobSeekers>
        \(jobSeekers.joined(separator: "\n"))
          </jobSeekers>
        </ns2:notifyJobSeekerStatus>
        """
    }

    /// One `jobSeeker`; `registered` adds the deregistrationDetails block.
    func jobSeeker(_ source: String, _ type: String, on day: String, ssin: String, registered: String? = nil,
                   reason: String = "OTHER_REASON", ssinAttributes: String = "") -> String {
        let details = registered.map {
            "<deregistrationDetails><registrationDate>\($0)</registrationDate><reason>\(reason)</reason></deregistrationDetails>"
        } ?? ""
        let eventID = "EV" + day.filter(\.isNumber)
        return "<jobSeeker source=\"\(source)\"><event><id>\(eventID)</id><type>\(type)</type>"
            + "<date>\(day)</date></event>\(details)<ssin\(ssinAttributes)>\(ssin)</ssin></jobSeeker>"
    }

    func read(_ xml: String) throws -> [IngestItem] { try readAll(folder.write("notifyJobSeekerStatus.xml", xml)) }

    @Test func aVDABRegistrationIsARegistrationFromTheEventDate() throws {
        let items = try read(notification(jobSeeker("VDAB", "REGISTRATION", on: "2026-07-01", ssin: leaver.digits)))
        #expect(items.count == 1)
        let record = try #require(items.first?.record)
        #expect(record.source == .vdab)
        #expect(record.insz == leaver)
        #expect(record.recordedAt == "2026-07-01")
        #expect(record.recordID.hasPrefix("ksz:vdab:"))
        #expect(!record.recordID.contains(leaver.digits), "the record id never carries the INSZ")
        guard case .jobseeker(let registration) = record.body else { Issue.record("not a registration"); return }
        #expect(registration == JobSeekerRegistration(registrationDate: date("2026-07-01")))
    }

    @Test func aDeregistrationBackToWorkEndsTheRegistrationWhateverTheOrderOfArrival() throws {
        let start = try #require(try read(notification(
            jobSeeker("VDAB", "REGISTRATION", on: "2026-07-01", ssin: leaver.digits))).first?.record)
        let end = try #require(try read(notification(
            jobSeeker("VDAB", "DEREGISTRATION", on: "2026-09-15", ssin: leaver.digits, registered: "2026-07-01",
                      reason: "BACK_TO_WORK"))).first?.record)
        let ended = JobSeekerRegistration(registrationDate: date("2026-07-01"), deregistrationDate: date("2026-09-15"),
                                          deregistrationReason: .work)
        #expect(end.body == .jobseeker(ended))
        #expect(end.recordID == start.recordID, "the deregistration is a later version of the same registration")
        for arrival in [[start, end], [end, start]] {
            let versions = arrival.enumerated().map { index, record in
                Fact(reference: FactReference(source: record.source, recordID: record.recordID, sequence: Int64(index + 1)),
                     record: record)
            }
            #expect(PersonTimeline(insz: leaver, versions: versions).registrations.map(\.1) == [ended])
        }
    }

    @Test func anActirisRegistrationMakesABrusselsLeaverKnownToAnEmploymentService() throws {
        let items = try read(notification(jobSeeker("ACTIRIS", "REGISTRATION", on: "2026-08-01", ssin: leaver.digits),
                                          jobSeeker("VDAB", "REGISTRATION", on: "2026-08-01", ssin: leaver.digits)))
        let records = items.compactMap(\.record)
        #expect(records.count == 2)
        let actiris = try #require(records.first)
        #expect(actiris.source == .vdab)
        #expect(actiris.recordID.hasPrefix("ksz:actiris:"))
        #expect(actiris.recordID != records[1].recordID, "a registration per service")

        let person = PersonBuilder(insz: leaver)
            .enrolled(from: "2025-09-01", to: "2026-06-30", exit: .endOfSchoolYear, postcode: "1000")
            .lives(postcode: "1000", born: "2006-03-14")
        #expect(Decider(policy: .default).decide(person.timeline, on: date("2026-11-29")).outcome == .eligible)
        let known = person.adding(actiris.body, source: actiris.source, id: actiris.recordID, recordedAt: actiris.recordedAt)
        #expect(Decider(policy: .default).decide(known.timeline, on: date("2026-11-29")).outcome
                == .notInTargetGroup(.knownToVDAB))
    }

    @Test func aBadJobSeekerIsRejectedWithAReasonAndTheRestIsRead() throws {
        let badSSIN = String(leaver.digits.dropLast(2)) + "00"
        let items = try read(notification(
            jobSeeker("VDAB", "REGISTRATION", on: "2026-07-01", ssin: other.digits),
            jobSeeker("VDAB", "REGISTRATION", on: "2026-07-01", ssin: badSSIN),
            jobSeeker("VDAB", "DEREGISTRATION", on: "2026-09-15", ssin: leaver.digits),
            jobSeeker("UWV", "REGISTRATION", on: "2026-07-01", ssin: leaver.digits),
            jobSeeker("VDAB", "REGISTRATION", on: "2026-07-01", ssin: leaver.digits, ssinAttributes: " canceled=\"true\""),
            jobSeeker("VDAB", "DEREGISTRATION", on: "2026-09-15", ssin: leaver.digits, registered: "2026-07-01",
                      reason: "RETIRED"),
            jobSeeker("VDAB", "REGISTRATION", on: "2026-02-30", ssin: leaver.digits),
            jobSeeker("VDAB", "DEREGISTRATION", on: "2026-06-15", ssin: leaver.digits, registered: "2026-07-01")))
        #expect(items.count == 8)
        #expect(items[0].record?.insz == other)
        let rejections = items.dropFirst().compactMap(\.rejection)
        #expect(rejections.map(\.reason) == [.invalidINSZ, .missingField, .unknownCode, .invalidINSZ, .unknownCode,
                                             .invalidDate, .reversedDates])
        #expect(rejections.map(\.field) == ["insz", "registration_date", "source", "insz", "deregistration_reason",
                                            "registration_date", "deregistration_date"])
        #expect(rejections.map(\.location) == (2...8).map { "jobSeeker \($0)" })
        for rejection in rejections {
            #expect(rejection.kind == .jobseeker)
            #expect(!rejection.original.isEmpty, "a rejection keeps the original")
            #expect(!rejection.message.contains(leaver.digits) && !rejection.message.contains(badSSIN),
                    "a reason never repeats the INSZ")
        }
        #expect(rejections.last?.recordID?.hasPrefix("ksz:vdab:") == true)
    }

    @Test func aNotificationWithoutJobSeekersIsQuarantinedAsAWhole() throws {
        let items = try read(notification())
        #expect(items.count == 1)
        #expect(items.first?.rejection?.reason == .emptyFile)
        #expect(items.first?.rejection?.kind == .jobseeker)
    }
}
