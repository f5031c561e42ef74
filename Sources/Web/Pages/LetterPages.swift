import Domain
import Letters
import Foundation
import Storage
import Vapor
import Workflows

/// The data steward's letter batches: make today's batch, download its PDF and manifest for the
/// mail house (personal data of many people: audited), confirm the hand-over.
struct LetterPages: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("steward", "letters", use: list)
        routes.post("steward", "letters", "batch", use: make)
        routes.get("steward", "letters", ":batch", "pdf", use: pdf)
        routes.get("steward", "letters", ":batch", "manifest", use: manifest)
        routes.post("steward", "letters", ":batch", "handed-over", use: handedOver)
        routes.post("steward", "letters", "files", use: importFile)
        routes.get("steward", "letters", "files", ":file", use: file)
    }

    struct BatchRow: Encodable {
        let id: Int64
        let madeOn: String
        let status: String
        let prepared: Bool
        let letters: Int
        let pages: Int
        let checksum: String
        let handedOver: String
        /// "2 ingetrokken: haal uit de stapel (VN-000004-1, …)", "1 teruggekomen".
        let remarks: [String]
    }

    struct FileRow: Encodable {
        let id: Int64
        let name: String
        let kind: String
        let accepted: Int
        let unchanged: Int
        let rejected: Int
    }

    struct LettersPage: Encodable {
        let t: TextTable
        let user: UserView?
        let csrf: String
        let batches: [BatchRow]
        let files: [FileRow]
        let flash: String?
        let error: String?
    }

    struct LineRow: Encodable {
        let line: Int
        let reference: String
        let result: String
        let rejected: Bool
        let reason: String
    }

    struct FilePage: Encodable {
        let t: TextTable
        let user: UserView?
        /// The logout form's token (the page chrome).
        let csrf: String
        let name: String
        let kind: String
        let accepted: Int
        let unchanged: Int
        let rejected: Int
        let handedOver: String?
        let notListed: String?
        let lines: [LineRow]
    }

    func list(request: Request) async throws -> View {
        try await page(request, error: nil)
    }

    func page(_ request: Request, error: String?) async throws -> View {
        let principal = try request.principal
        try principal.require(.handleLetters)
        let t = Texts.table(request.language)
        let words = request.language.words
        let store = request.context.store
        let names = try await store.displayNames()
        var rows: [BatchRow] = []
        for b in try await store.letterBatches() {
            var remarks: [String] = []
            if b.withdrawn > 0 {
                let references = b.status == "prepared" ? try await store.withdrawnLetters(batch: b.id) : []
                remarks.append("\(b.withdrawn) \(t["batch_withdrawn"]!)" + (references.isEmpty ? "" : " (" + references.joined(separator: ", ") + ")"))
            }
            if b.returned > 0 { remarks.append("\(b.returned) \(t["batch_returned"]!)") }
            rows.append(BatchRow(id: b.id, madeOn: words.date(b.madeOn), status: t["batch_" + b.status] ?? b.status, prepared: b.status == "prepared",
                                 letters: b.letters, pages: b.pages, checksum: String(b.sha256.prefix(16)),
                                 handedOver: b.handedOverAt.map { "\(words.instant($0)) · \(b.handedOverBy.map { names[$0] ?? $0 } ?? "")" } ?? "–",
                                 remarks: remarks))
        }
        let files = try await store.mailHouseFiles(limit: 10).map {
            FileRow(id: $0.fileID, name: $0.name, kind: t["mail_kind_" + $0.kind.rawValue]!, accepted: $0.accepted, unchanged: $0.unchanged,
                    rejected: $0.rejected)
        }
        let flash = (try? request.query.get(String.self, at: "done")).flatMap { t[$0] }
        return try await request.view.render("letters", LettersPage(t: t, user: principal.view, csrf: principal.session?.csrfToken ?? "",
                                                                    batches: rows, files: files, flash: flash, error: error))
    }

    struct Upload: Content {
        var kind: String?
        var file: File?
    }

    /// A mail-house file, uploaded by the steward: each line applied or refused, then its outcome.
    func importFile(request: Request) async throws -> Response {
        let principal = try request.principal
        try principal.require(.handleLetters)
        let t = Texts.table(request.language)
        let upload = (try? request.content.decode(Upload.self)) ?? Upload()
        guard let kind = upload.kind.flatMap(MailHouseFile.Kind.init(rawValue:)), let file = upload.file, file.data.readableBytes > 0 else {
            return try await page(request, error: t["mail_file_missing"]).encodeResponse(status: .badRequest, for: request)
        }
        let work = MailHouseWork(letters: request.context.store, clock: request.context.settings.clock)
        do {
            let result = try await work.importFile(Array(file.data.readableBytesView), as: kind, name: file.filename, by: principal.actor)
            return request.redirect(to: "/steward/letters/files/\(result.fileID)")
        } catch is MailHouseFile.Problem {
            return try await page(request, error: t["mail_file_unusable"]).encodeResponse(status: .unprocessableEntity, for: request)
        }
    }

    func file(request: Request) async throws -> View {
        let principal = try request.principal
        try principal.require(.handleLetters)
        guard let id = request.parameters.get("file").flatMap(Int64.init),
              let result = try await request.context.store.mailHouseFiles(limit: 200).first(where: { $0.fileID == id }) else { throw WebError.notFound }
        let t = Texts.table(request.language)
        let lines = result.lines.map { line in
            LineRow(line: line.line, reference: line.reference ?? "–", result: t["mail_result_" + line.result.rawValue]!,
                    rejected: line.result == .rejected,
                    reason: line.result == .rejected ? (line.code.flatMap { t["mail_rejected_" + $0] } ?? "") : "")
        }
        return try await request.view.render("mail-file", FilePage(
            t: t, user: principal.view, csrf: principal.session?.csrfToken ?? "", name: result.name, kind: t["mail_kind_" + result.kind.rawValue]!, accepted: result.accepted,
            unchanged: result.unchanged, rejected: result.rejected,
            handedOver: result.batchesHandedOver.isEmpty ? nil : result.batchesHandedOver.map(String.init).joined(separator: ", "),
            notListed: result.notListed.isEmpty ? nil : result.notListed.joined(separator: ", "), lines: lines))
    }

    func make(request: Request) async throws -> Response {
        let principal = try request.principal
        try principal.require(.handleLetters)
        let (summary, _) = try await request.context.letterBatchWork.make(by: principal.actor)
        return request.redirect(to: "/steward/letters?done=" + (summary.batchID == nil ? "batch_empty" : "batch_made"))
    }

    func batchID(_ request: Request) throws -> Int64 {
        guard let id = request.parameters.get("batch").flatMap(Int64.init) else { throw WebError.notFound }
        return id
    }

    /// A batch file, after its download is audited.
    func download(_ request: Request, pdf: Bool) async throws -> Response {
        let principal = try request.principal
        try principal.require(.handleLetters)
        let id = try batchID(request)
        guard let files = try await request.context.store.letterBatchFiles(id) else { throw WebError.notFound }
        let steward = principal.actor.acting(for: .dataQuality)
        try await request.context.audit.record(steward, .letterBatchDownloaded(id))
        let response = Response(status: .ok, body: pdf ? .init(data: files.pdf) : .init(string: files.manifestJSON))
        response.headers.contentType = pdf ? HTTPMediaType(type: "application", subType: "pdf") : .json
        response.headers.replaceOrAdd(name: .contentDisposition,
                                      value: "attachment; filename=\"vangnet-letters-\(id).\(pdf ? "pdf" : "json")\"")
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    func pdf(request: Request) async throws -> Response { try await download(request, pdf: true) }
    func manifest(request: Request) async throws -> Response { try await download(request, pdf: false) }

    func handedOver(request: Request) async throws -> Response {
        let principal = try request.principal
        try principal.require(.handleLetters)
        let id = try batchID(request)
        guard try await request.context.store.markLetterBatchHandedOver(id, by: principal.actor) else { throw WebError.notFound }
        return request.redirect(to: "/steward/letters?done=batch_handed_over")
    }
}
