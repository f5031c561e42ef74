import Domain
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
    }

    struct LettersPage: Encodable {
        let t: [String: String]
        let user: UserView?
        let csrf: String
        let batches: [BatchRow]
        let flash: String?
    }

    func list(request: Request) async throws -> View {
        let principal = try request.principal
        try principal.require(.handleLetters)
        let t = Texts.table(request.language)
        let words = request.language.words
        let names = try await request.context.store.displayNames()
        let rows = try await request.context.store.letterBatches().map { b in
            BatchRow(id: b.id, madeOn: words.date(b.madeOn), status: t["batch_" + b.status] ?? b.status, prepared: b.status == "prepared",
                     letters: b.letters, pages: b.pages, checksum: String(b.sha256.prefix(16)),
                     handedOver: b.handedOverAt.map { "\(words.instant($0)) · \(b.handedOverBy.map { names[$0] ?? $0 } ?? "")" } ?? "–")
        }
        let flash = (try? request.query.get(String.self, at: "done")).flatMap { t[$0] }
        return try await request.view.render("letters", LettersPage(t: t, user: principal.view, csrf: principal.session?.csrfToken ?? "",
                                                                    batches: rows, flash: flash))
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
