/// Vangnet's words in English.
public struct English: Vocabulary {
    public init() {}
    public var language: Language { .en }

    public func status(_ status: CaseStatus) -> String {
        switch status {
        case .new: "New"
        case .invited: "Invited"
        case .registered: "Registered with VDAB"
        case .contacted: "Contacted"
        case .inGuidance: "In guidance"
        case .referred: "Referred to a partner"
        case .reopened: "Reopened"
        case .inWork: "In work"
        case .inEducation: "In education or training"
        case .declined: "Declined"
        case .unreachable: "Cannot be contacted"
        case .unknown: "Situation unknown"
        case .notInTargetGroup: "Not in the target group"
        case .movedAbroad: "Moved abroad"
        case .deceased: "Deceased"
        case .withdrawn: "Withdrawn by Vangnet"
        case .merged: "Merged into another case"
        }
    }

    public func caseAction(_ action: CaseAction) -> String {
        switch action {
        case .invite: "Invitation"
        case .autoRegister: "Automatic registration"
        }
    }

    public func nextAction(_ code: String) -> String {
        switch code {
        case NextAction.firstContact: "First contact"
        case NextAction.registrationFollowUp: "Follow up the registration"
        case NextAction.answerFollowUp: "Follow up the young person's answer"
        case NextAction.addressUnknown: "Address unknown: find another address or channel"
        case NextAction.referralFollowUp: "Referral did not work out: look for another offer"
        default: code
        }
    }

    public func channel(_ channel: ContactChannel) -> String {
        switch channel {
        case .letter: "Letter"
        case .phone: "Phone"
        case .email: "E-mail"
        case .homeVisit: "Home visit"
        case .viaPartner: "Via a partner"
        case .sms: "Text message"
        case .office: "At the office"
        }
    }

    public func contactOutcome(_ outcome: ContactOutcome) -> String {
        switch outcome {
        case .reached: "Reached"
        case .noAnswer: "No answer"
        case .wrongNumber: "Wrong details"
        case .messageLeft: "Message left"
        case .appointment: "Appointment made"
        case .declined: "Declined"
        }
    }

    public func suggestion(_ suggestion: Suggestion) -> String {
        switch suggestion {
        case .startedWork: "Started work"
        case .reEnrolled: "Enrolled in a school again"
        case .qualified: "Obtained a qualification"
        case .emigrated: "Moved abroad"
        case .deceased: "Deceased"
        case .registeredAtVDAB: "Registered as a job seeker"
        case .outOfTargetGroup: "No longer in the target group"
        case .noContact: "Not reached after several attempts"
        case .declinedContact: "Does not want to be contacted (answer to the letter)"
        }
    }

    public func eventTitle(_ event: CaseEvent) -> String {
        switch event {
        case .opened: "Case opened"
        case .assigned: "Assigned to"
        case .reopened: "Reopened"
        case .suggestion: "Suggestion"
        case .withdrawn: "Withdrawn"
        case .factArrived: "New information"
        case .statusChanged: "Status changed"
        case .contact: "Contact"
        case .note: "Note"
        case .nextActionSet: "Next action"
        case .closingUndone: "Closing undone"
        case .merged: "Merged with a second registration"
        case .mergeUndone: "Merge undone"
        case .letter: "Letter"
        case .registrationRequested: "Registration requested"
        case .registrationConfirmed: "Registered as a job seeker"
        case .registrationFailed: "Registration failed"
        case .letterReturned: "Letter returned"
        case .reportHandled: "Report dealt with by the data steward"
        case .referral: "Referral"
        case .referralProgress: "Progress at the partner"
        case .letterResendRequested: "Letter to be sent again"
        case .answered: "Answer of the young person"
        }
    }

    public func eventDetail(_ event: CaseEvent, person: (String) -> String) -> String {
        switch event {
        case .opened(let action, _, _): caseAction(action)
        case .assigned(let consultant, _): person(consultant)
        case .reopened(let from, _): "Was: \(status(from))"
        case .suggestion(let suggestion, _): self.suggestion(suggestion)
        case .withdrawn(let reason, _): "\(self.suggestion(reason)), before anyone approached the young person"
        case .factArrived(let source, _, let kind, _): "\(recordKind(kind).capitalizedFirst) from \(self.source(source))"
        case .statusChanged(let from, let to): "\(status(from)) → \(status(to))"
        case .contact(let channel, let outcome): "\(self.channel(channel)): \(contactOutcome(outcome))"
        case .note: ""
        case .nextActionSet(let action, let due): "\(nextAction(action)), by \(date(due))"
        case .closingUndone(let from, let to): "\(status(from)) → \(status(to))"
        case .merged(let other, let closed):
            if closed { other.map { "Goes on in case \(CaseNumber.format($0))" } ?? "Goes on in another case" }
            else { other.map { "Case \(CaseNumber.format($0)) goes on here" } ?? "The facts of a second INSZ now belong to this case" }
        case .mergeUndone(let other): other.map { "Separate again from case \(CaseNumber.format($0))" } ?? ""
        case .letter(let kind, let reference): "\(letterKind(kind)) (\(reference))"
        case .registrationRequested: "VDAB\u{2019}s job-seeker system received the request"
        case .registrationConfirmed(let number): "VDAB number \(number)"
        case .registrationFailed(let problem): registrationProblem(problem)
        case .letterReturned(let reference, let reason): "\(reference): \(returnReason(reason))"
        case .reportHandled: ""
        case .referral(let status, let organisation): "to \(organisation): \(referralStatus(status))"
        case .referralProgress(let organisation): organisation
        case .letterResendRequested(let kind): letterKind(kind).capitalizedFirst
        case .answered(let choice): answerChoice(choice)
        }
    }

    public func returnReason(_ reason: LetterReturnReason) -> String {
        switch reason {
        case .addressUnknown: "address unknown"
        case .moved: "moved"
        case .incompleteAddress: "incomplete address"
        case .refused: "refused"
        case .notCollected: "not collected"
        case .deceased: "deceased"
        case .other: "other reason"
        }
    }

    public func registrationProblem(_ problem: RegistrationProblem) -> String {
        switch problem {
        case .unreachable: "VDAB\u{2019}s job-seeker system does not answer"
        case .refused: "VDAB\u{2019}s job-seeker system refuses the request"
        }
    }

    public func referralStatus(_ status: ReferralStatus) -> String {
        switch status {
        case .proposed: "proposed, not sent"
        case .pending: "sent, awaiting an answer"
        case .accepted: "accepted"
        case .declined: "declined"
        case .done: "done"
        case .revoked: "revoked by the consultant"
        case .consentWithdrawn: "consent withdrawn"
        }
    }

    public func letterKind(_ kind: LetterKind) -> String {
        switch kind {
        case .invitation: "invitation"
        case .reminder: "reminder"
        case .registrationNotice: "notice of registration"
        }
    }

    public func answerChoice(_ choice: AnswerChoice) -> String {
        switch choice {
        case .wantsHelp: "I would like help finding work or training"
        case .alreadyWorks: "I already work"
        case .backToSchool: "I went back to school"
        case .noContactWanted: "I do not want to be contacted"
        case .somethingWrong: "Something is wrong in this letter"
        }
    }

    public func source(_ source: Source) -> String {
        switch source {
        case .agodi: "AGODI (enrolments in education)"
        case .syntra: "Syntra (apprenticeships)"
        case .ahovoks: "AHOVOKS (diplomas and certificates)"
        case .populationRegister: "National register"
        case .vdab: "VDAB (job seekers)"
        case .dimona: "DIMONA (employment)"
        }
    }

    public func recordKind(_ kind: RecordKind) -> String {
        switch kind {
        case .enrolment: "enrolment in a school or training"
        case .qualification: "diploma or certificate"
        case .person: "national register data"
        case .jobseeker: "registration as a job seeker"
        case .employment: "employment"
        }
    }

    public func track(_ track: Enrolment.Track?) -> String {
        guard let track else { return "–" }
        return switch track {
        case .a: "1st stage, A stream"
        case .b: "1st stage, B stream"
        case .aso: "ASO (general)"
        case .tso: "TSO (technical)"
        case .kso: "KSO (arts)"
        case .bso: "BSO (vocational)"
        case .dbso: "DBSO"
        case .buso: "Special secondary education"
        case .apprenticeship: "Apprenticeship"
        }
    }

    public func programme(_ programme: Enrolment.Programme) -> String {
        switch programme {
        case .fulltime: "full-time"
        case .dbso: "part-time"
        case .apprenticeship: "apprenticeship"
        }
    }

    public func exitReason(_ reason: Enrolment.ExitReason) -> String {
        switch reason {
        case .endOfSchoolYear: "end of the school year"
        case .pupilOrParents: "at the pupil's or parents' request"
        case .schoolOrCLB: "on the school's or CLB's advice"
        case .disciplinary: "definitively excluded"
        }
    }

    public func situationAfter(_ situation: Enrolment.SituationAfter) -> String {
        switch situation {
        case .recognisedTraining: "a recognised training"
        case .work: "work"
        case .other: "something else"
        case .unknown: "not known"
        case .otherFlemishSchool: "another Flemish school"
        }
    }

    public func certificate(_ type: Qualification.CertificateType) -> String {
        switch type {
        case .secondaryDiploma: "Secondary education diploma"
        case .bsoStudyCertificate: "BSO study certificate (2nd year, 3rd stage)"
        case .dbsoCertificate: "DBSO final certificate"
        case .apprenticeshipCertificate: "Apprenticeship certificate"
        case .busoOV3Certificate: "Special secondary education certificate (training form 3)"
        case .partialCertificate: "Partial certificate"
        case .attest: "Attestation"
        case .gradeCertificate: "Stage certificate"
        case .higherEducationDegree: "Higher education degree"
        case .adultEducationCertificate: "Adult education certificate"
        case .experienceCertificate: "Certificate of experience"
        case .equivalence: "Equivalence of a foreign diploma"
        case .other: "Other certificate"
        }
    }

    public func fact(_ record: SourceRecord) -> String {
        switch record.body {
        case .enrolment(let e):
            let kind = e.programme.map(programme) ?? level(e.level)
            var text = "Enrolled (\(kind), \(track(e.effectiveTrack))) at \(e.schoolName), from \(date(e.startDate))"
                + (e.endDate.map { " until \(date($0))" } ?? ", still enrolled")
            if let exit = e.exitReason { text += "; left: \(exitReason(exit))" }
            if let after = e.situationAfter { text += "; then: \(situationAfter(after))" }
            return text
        case .qualification(let q):
            return (q.title ?? certificate(q.certificateType)) + ", awarded on \(date(q.awardDate))"
                + (q.status == .cancelled ? " (cancelled)" : "")
        case .person(let p):
            var text = p.addressLine.isEmpty ? "No address known" : "Lives at \(p.addressLine)"
            if let e = p.emigrationDate { text += "; left for abroad on \(date(e))" }
            if let d = p.deathDate { text += "; died on \(date(d))" }
            return text
        case .jobseeker(let j):
            return "Registered as a job seeker since \(date(j.registrationDate))"
                + (j.deregistrationDate.map { ", until \(date($0))" } ?? "")
        case .employment(let e):
            return "Employed since \(date(e.startDate))" + (e.endDate.map { ", until \(date($0))" } ?? "")
                + (e.cancelled ? " (declaration cancelled)" : "")
        }
    }

    func level(_ level: Enrolment.Level) -> String {
        switch level {
        case .nursery: "nursery education"
        case .primary: "primary education"
        case .secondary: "secondary education"
        case .higher: "higher education"
        case .adult: "adult education"
        }
    }

    public func quarantineReason(_ reason: QuarantineReason) -> String {
        switch reason {
        case .emptyFile: "The file is empty"
        case .missingHeader: "The header line is missing"
        case .unknownHeader: "Unknown column in the header line"
        case .wrongColumnCount: "Wrong number of columns"
        case .missingField: "A required field is empty"
        case .unknownField: "Unknown field"
        case .invalidINSZ: "Invalid national number"
        case .invalidDate: "Invalid date"
        case .reversedDates: "End date before start date"
        case .unknownCode: "Unknown code"
        case .invalidValue: "Invalid value"
        case .invalidEncoding: "Not valid text (UTF-8)"
        case .recordTooLong: "Record too long"
        case .truncatedRecord: "Record cut off"
        case .malformedJSON: "Not valid JSON"
        case .malformedXML: "Not valid XML"
        case .magdaException: "MAGDA answered with an error"
        case .invalidEvent: "Invalid message (CloudEvent)"
        }
    }

    static let fields: [String: String] = [
        "award_date": "award date", "birth_date": "birth date", "box": "box", "cancelled": "cancelled",
        "certificate_type": "kind of certificate", "country": "country", "death_date": "date of death",
        "deregistration_date": "deregistration date", "deregistration_reason": "reason for deregistration",
        "education_form": "form of education", "emigration_date": "date of leaving for abroad",
        "employer_number": "employer's company number", "end_date": "end date", "exit_reason": "reason for leaving",
        "first_name": "first name", "house_number": "house number", "iac": "individual adapted curriculum",
        "institution_number": "institution number", "insz": "national number", "joint_committee": "joint committee",
        "last_name": "last name", "level": "level of education", "municipality": "municipality", "postcode": "postcode",
        "programme": "kind of programme", "programme_name": "name of the programme", "record_id": "record number",
        "recorded_at": "time of recording", "registration_date": "registration date", "school_name": "school name",
        "school_number": "school number", "school_postcode": "school postcode", "school_year": "school year", "sex": "sex",
        "situation_after": "situation after leaving", "source": "source", "special_education_type": "type of special education",
        "start_date": "start date", "status": "status", "street": "street", "title": "title", "track": "track",
        "valid_from": "valid from", "worker_type": "kind of worker", "specversion": "CloudEvents version", "type": "kind of message",
        "id": "message id", "data": "message content", "datacontenttype": "content type",
    ]

    public func field(_ name: String) -> String { Self.fields[name] ?? name }

    public func location(_ stored: String) -> String {
        if stored == "file" || stored.isEmpty { return "the whole file" }
        return stored
    }

    public func ago(hours: Double) -> String {
        if hours < 1 { return "less than an hour ago" }
        if hours < 48 { return "\(Int(hours)) hours ago" }
        return "\(Int(hours / 24)) days ago"
    }

    public func quarantineStatus(_ code: String) -> String {
        switch code {
        case "open": "Open"
        case "reprocessed": "Processed again"
        case "dismissed": "Closed without processing"
        case "linked": "Linked to a known person"
        default: code
        }
    }

    public func decisionOutcome(_ outcome: Decision.Outcome) -> String {
        switch outcome {
        case .notALeaver: "Not an early school leaver"
        case .pending(let until): "Pending: decided again on \(date(until))"
        case .notInTargetGroup(let e): "Not in the target group: \(exclusion(e))"
        case .eligible: "Unqualified school leaver: to be contacted"
        }
    }

    public func exclusion(_ exclusion: Decision.Exclusion) -> String {
        switch exclusion {
        case .deceased: "deceased"
        case .abroad: "lives abroad"
        case .outsideFlanders: "lives outside Flanders and Brussels"
        case .tooOld: "above the age limit"
        case .birthDateUnknown: "birth date unknown (to be reviewed)"
        case .knownToVDAB: "already known to VDAB"
        case .atWork: "at work"
        }
    }

    public func reason(_ reason: Reason, policy: Policy) -> String {
        let day = reason.date.map(date) ?? ""
        return switch reason.rule {
        case .noQualifyingEnrolment: "Never enrolled in qualifying secondary education."
        case .stillEnrolled: "Is still enrolled in a school or training."
        case .leftSchool: "Last enrolment ended on \(day)."
        case .gracePeriod: "A new enrolment may still follow; decided from \(day)."
        case .qualified: "Holds a qualification (diploma or equivalent certificate)."
        case .unqualified: "Holds no valid qualification."
        case .cancelledQualification: "A previously registered certificate was cancelled."
        case .deceased: "Deceased according to the national register."
        case .abroad: "Lives abroad according to the national register."
        case .outsideFlanders: "Main address outside Flanders and Brussels."
        case .tooOld: "Turned \(policy.maximumAge) on \(day)."
        case .birthDateUnknown: "Birth date unknown: age and compulsory education cannot be determined."
        case .knownToVDAB: "Is registered as a job seeker with VDAB."
        case .atWork: "Is at work (DIMONA)."
        case .compulsoryEducation: "In compulsory education until \(day)."
        case .eligible: policy.action == .invite ? "Gets an invitation from a youth consultant."
            : "Is registered as a job seeker automatically."
        }
    }

    public func role(_ role: Role) -> String {
        switch role {
        case .consultant: "Youth consultant"
        case .teamlead: "Team lead"
        case .partner: "Partner organisation"
        case .analyst: "Policy analyst"
        case .manager: "Manager"
        case .steward: "Data steward"
        case .auditor: "Auditor"
        case .admin: "Administrator"
        }
    }

    public func purpose(_ purpose: Purpose) -> String {
        switch purpose {
        case .caseWork: "Guiding the young person"
        case .caseReview: "Reviewing a case"
        case .teamManagement: "Distributing cases"
        case .dataQuality: "Correcting source data"
        case .audit: "Checking consultations"
        case .subjectAccessRequest: "The person's request to see their data"
        case .retention: "Removing outdated data"
        case .intake: "Receiving source data"
        case .login: "Logging in"
        case .ownAccess: "The young person's own access (answer page)"
        case .policyAnalysis: "Policy analysis (simulation, no names)"
        }
    }

    public func auditAction(_ code: String) -> String {
        switch code {
        case "case.read": "Case viewed"
        case "caseload.read": "Case shown in a list"
        case "case.search": "Case searched for"
        case "case.update": "Status changed"
        case "case.contact": "Contact logged"
        case "case.note": "Note added"
        case "case.plan": "Next action planned"
        case "case.reassign": "Case assigned"
        case "case.undo-close": "Closing undone"
        case "purpose.refused": "Purpose not allowed for this role"
        case "letter.make": "Letter made"
        case "letters.download": "Letter batch downloaded"
        case "letters.hand-over": "Letter batch handed to the mail house"
        case "answer.view": "Answer page opened by the young person"
        case "answer.give": "Answer given by the young person"
        case "answer.refused": "Code or birth date not recognised"
        case "person.export": "Report for the person made"
        case "audit.read": "Consultations viewed"
        case "audit.verify": "Audit chain checked"
        case "quarantine.read": "Quarantined record viewed"
        case "quarantine.reprocess": "Record processed again"
        case "quarantine.dismiss": "Record closed without processing"
        case "identity.link": "Identity linked to a known person"
        case "identity.reject": "Proposed link rejected: not the same person"
        case "identity.review": "Proposed link viewed"
        case "identity.unlink": "Link undone: the record is back in quarantine"
        case "person.merge": "Two registrations of the same person merged"
        case "person.unmerge": "Merge undone"
        case "person.compare": "Two persons compared for a merge"
        case "person.merge-read": "A merge looked at, with both registrations"
        case "login": "Logged in"
        case "logout": "Logged out"
        case "policy.simulate": "Alternative policy simulated"
        case "partners.change": "Partner organisations changed"
        case "letters.mail-house-file": "Mail-house file imported"
        case "registration.retry": "Registration request sent again"
        case "webhook.retry": "Notice to a partner sent again"
        case "letter.read": "Letter viewed again"
        case "letter.resend": "Letter to be sent again"
        case "answer-report.read": "A young person\u{2019}s report read"
        case "answer-report.handle": "A young person\u{2019}s report dealt with"
        case "referral.change": "Referral changed"
        case "referral.progress": "Progress on a referral"
        case "referral.read": "Referral viewed by the partner"
        case "retention.run": "Outdated data removed"
        case "retention.dry-run": "Trial: outdated data counted"
        default: Permission(rawValue: code).map { "Page or function opened (\(permission($0)))" } ?? code
        }
    }

    func permission(_ permission: Permission) -> String {
        switch permission {
        case .listCases: "case list"
        case .readCase: "case"
        case .workCase: "working on a case"
        case .reassignCases: "assigning cases"
        case .undoClosing: "undoing a closing"
        case .handleLetters: "letters for the mail house"
        case .readQuarantine: "quarantine"
        case .reprocessQuarantine: "processing quarantine"
        case .readReports: "figures"
        case .readAudit: "audit"
        case .exportPerson: "report for the person"
        case .administer: "administration"
        case .deliverEvents: "delivering data"
        case .handleReferrals: "the partner\u{2019}s referrals"
        case .monitorPartners: "monitoring of the partners"
        case .readStatistics: "statistics"
        case .readStatusReport: "status report"
        case .simulatePolicy: "policy simulation"
        case .readExactFigures: "exact figures"
        }
    }

    public func auditOutcome(_ code: String) -> String {
        switch code {
        case "allowed": "Allowed"
        case "denied": "Refused"
        case "locked": "Locked after too many attempts"
        case "not_found": "Person not known"
        case "broken": "Chain broken"
        default: code
        }
    }

    static let months = ["January", "February", "March", "April", "May", "June", "July", "August",
                         "September", "October", "November", "December"]

    public func month(year: Int, month: Int) -> String { "\(Self.months[month - 1]) \(year)" }

    public func date(_ date: LocalDate) -> String {
        let (y, m, d) = date.components
        return "\(d) \(Self.months[m - 1]) \(y)"
    }

    public func instant(_ stored: String) -> String {
        guard let (day, time) = belgianParts(stored) else { return stored }
        return "\(date(day)), \(time) (Belgian time)"
    }

    public func years(_ count: Int) -> String { count == 1 ? "1 year" : "\(count) years" }
}
