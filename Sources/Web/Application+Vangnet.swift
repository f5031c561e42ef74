import Domain
import Foundation
import Leaf
import LeafKit
import Storage
import Vapor

extension Application {
    /// Configures the Vangnet web application on `app`: middleware, views, routes. The caller
    /// owns the store and decides where the server listens.
    public func configureVangnet(_ context: WebContext) throws {
        storage[WebContextKey.self] = context

        // JSON in snake_case, dates as ISO text.
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        ContentConfiguration.global.use(encoder: encoder, for: .json)
        ContentConfiguration.global.use(decoder: decoder, for: .json)

        // Request bodies are small: forms and JSON (the event intake allows 5 MB on its route).
        routes.defaultMaxBodySize = "256kb"

        // The copied "Resources" folder: Foundation's resourceURL is the bundle itself on some
        // platforms and its Resources folder on others.
        let candidates = [Bundle.module.resourceURL?.appendingPathComponent("Resources"), Bundle.module.resourceURL,
                          Bundle.module.bundleURL.appendingPathComponent("Resources")].compactMap { $0 }
        guard let resources = candidates.first(where: {
            FileManager.default.fileExists(atPath: $0.appendingPathComponent("Views/base.leaf").path)
        }) else {
            throw Abort(.internalServerError, reason: "web resources missing")
        }
        // The views ship inside the package's resources (under .build/): the sandbox is that folder,
        // and templates cannot escape it (Leaf's hidden-folder rule would reject the .build path itself).
        let viewsFolder = resources.appendingPathComponent("Views").path + "/"
        directory.viewsDirectory = viewsFolder
        leaf.sources = .singleSource(NIOLeafFiles(fileio: fileio, limits: [.toSandbox, .requireExtensions], sandboxDirectory: viewsFolder,
                                                  viewDirectory: viewsFolder))
        views.use(.leaf)
        // Templates ship with the binary: parse each once.
        leaf.cache.isEnabled = true

        middleware = Middlewares()
        middleware.use(RequestIDMiddleware())
        middleware.use(MetricsMiddleware(registry: context.metrics))
        middleware.use(SecurityHeadersMiddleware())
        middleware.use(ErrorPageMiddleware())
        // Inside the error middleware: an API path asked with a method it does not have answers 405
        // with `Allow` instead of the router's 404 (the OpenAPI document lists the methods).
        middleware.use(MethodNotAllowedMiddleware())

        let publicFolder = resources.appendingPathComponent("Public").path + "/"
        get("style.css") { request async throws -> Response in
            let response = try await request.fileio.asyncStreamFile(at: publicFolder + "style.css")
            response.headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=3600")
            return response
        }

        try register(collection: HealthRoutes())
        try register(collection: LoginController())
        try register(collection: AnswerPages())

        let pages = grouped(SessionAuthMiddleware())
        try pages.register(collection: LogoutController())
        try pages.register(collection: HomePages())
        try pages.register(collection: DashboardPages())
        try pages.register(collection: StatusReportPages())
        try pages.register(collection: SimulationPages())
        try pages.register(collection: SchoolPages())
        try pages.register(collection: CasePages())
        try pages.register(collection: TeamPages())
        try pages.register(collection: StewardPages())
        try pages.register(collection: IdentityPages())
        try pages.register(collection: MergePages())
        try pages.register(collection: LetterPages())
        try pages.register(collection: ReferralPages())
        try pages.register(collection: PartnerAdminPages())
        try pages.register(collection: AuditPages())

        let api = grouped("api", "v1")
        let openAPI = resources.appendingPathComponent("openapi.json").path
        api.get("openapi.json") { request async throws -> Response in
            let response = try await request.fileio.asyncStreamFile(at: openAPI)
            response.headers.contentType = .json
            return response
        }
        try api.register(collection: EventIntake())
        try api.register(collection: RegistrationCallback())
        let authenticated = api.grouped(APITokenMiddleware())
        try authenticated.register(collection: CasesAPI())
        try authenticated.register(collection: AuditAPI())
        try authenticated.register(collection: PartnerAPI())
    }
}
