// swift-tools-version: 6.1
import PackageDescription

/// Two small, compute-bound targets are optimised in debug builds too: the linker (a million random
/// pairs, and every candidate pair of an import's quarantine against the register: arithmetic on
/// arrays) and SipHash (the content hash of every record). Unoptimised, they took most of a debug
/// `vangnet import` of 100,000 records: 42.7 s, more than half of it the random pairs; 13.1 s with
/// both optimised (2026-12-03). The crash tests run twenty-odd of those imports (712–743 s before,
/// 208–243 s after). DEBUG is still set and `@testable import` still works. Unsafe flags are allowed
/// here because Vangnet is a root package: no other package depends on it. Declared before the
/// package: a manifest's top-level code runs in order, and a later constant would still be empty.
let optimisedEvenInDebug: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]

// Vangnet: one SwiftPM target per module of DESIGN.md §6. The domain and the ingest path do not link
// Vapor, so most edits rebuild (and most tests run) without the web stack.
let package = Package(
    name: "vangnet",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "vangnet", targets: ["vangnet"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.0.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.80.0"),
        .package(url: "https://github.com/vapor/fluent-kit.git", from: "1.50.0"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.30.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.8.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.10.0"),
        .package(url: "https://github.com/drmohundro/SWXMLHash.git", from: "8.0.0"),
        .package(url: "https://github.com/vapor/vapor.git", from: "4.110.0"),
        .package(url: "https://github.com/vapor/leaf.git", from: "4.4.0"),
        .package(url: "https://github.com/vapor/leaf-kit.git", from: "1.10.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.20.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
        .package(url: "https://github.com/pointfreeco/swift-snapshot-testing.git", from: "1.17.0"),
    ],
    targets: [
        // Pure domain: INSZ, dates, records, policy, decisions, cases, assignment, KPIs. Foundation only.
        .target(name: "Domain"),
        // Encryption of personal data at rest, blind indexes and the audit hash chain.
        .target(name: "Privacy", dependencies: [
            "Domain",
            .product(name: "Crypto", package: "swift-crypto"),
        ], swiftSettings: optimisedEvenInDebug),
        // Exchange format v1 (CSV, JSON Lines), MAGDA XML readers, validation and quarantine reasons.
        .target(name: "Ingest", dependencies: [
            "Domain",
            .product(name: "SWXMLHash", package: "SWXMLHash"),
        ]),
        // Identity beyond the INSZ: probabilistic record linkage (Fellegi–Sunter, EM), explained per field.
        .target(name: "Linkage", dependencies: ["Domain"], swiftSettings: optimisedEvenInDebug),
        // The few functions of SQLite's C API the store calls itself (statements prepared once, for the
        // bulk paths): declarations of sqlite-nio's vendored SQLite, which every binary links already.
        .target(name: "SQLiteAPI"),
        // SQL stores on SQLite (embedded) and PostgreSQL: migrations, records, pipeline, cases, audit.
        .target(name: "Storage", dependencies: [
            "Domain", "Privacy", "Workflows", "Letters", "SQLiteAPI",
            .product(name: "FluentKit", package: "fluent-kit"),
            .product(name: "SQLKit", package: "sql-kit"),
            .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
            .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
        ]),
        // The application layer: use cases (work a case, reassign, …), the ports they need from
        // storage (Storage implements them, TestSupport fakes them), the one audit recorder. Never Vapor.
        .target(name: "Workflows", dependencies: ["Domain", "Ingest", "Letters", "Linkage"]),
        // Letters to young people: texts per template version and language, the layout for a window
        // envelope, a small PDF writer of our own (no Swift PDF package exists here), batch manifests.
        .target(name: "Letters", dependencies: ["Domain"]),
        // Synthetic Flanders: source files shaped by DESIGN.md §10, deterministic per seed.
        .target(name: "Simulator", dependencies: ["Domain", "Ingest"]),
        // The Vapor app: HTML UI, JSON API, event intake, auth, audit, metrics.
        .target(name: "Web", dependencies: [
            "Domain", "Privacy", "Ingest", "Storage", "Workflows", "Letters", "Linkage",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Vapor", package: "vapor"),
            .product(name: "Leaf", package: "leaf"),
            .product(name: "LeafKit", package: "leaf-kit"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
        ], resources: [.copy("Resources")]),
        // The command line: configuration, wiring and every subcommand. Tests import this.
        .target(name: "VangnetCLI", dependencies: [
            "Domain", "Privacy", "Ingest", "Storage", "Workflows", "Letters", "Simulator", "Web", "Linkage",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
        ]),
        .executableTarget(name: "vangnet", dependencies: [
            "VangnetCLI", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // Benchmarks named in the issues; `swift run -c release vangnet-bench --help`.
        .executableTarget(name: "vangnet-bench", dependencies: [
            "VangnetCLI", "Domain", "Ingest", "Storage", "Simulator", "Privacy", "Web", "Workflows", "Letters", "Linkage",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "AsyncHTTPClient", package: "async-http-client"),
            .product(name: "SQLKit", package: "sql-kit"),
        ], path: "Benchmarks"),

        // Shared fixtures and builders for the test targets.
        .target(name: "TestSupport", dependencies: ["Domain", "Privacy", "Ingest", "Storage", "Workflows"], path: "Tests/TestSupport"),
        .testTarget(name: "WorkflowsTests", dependencies: ["Workflows", "Domain", "Ingest", "Linkage", "TestSupport"]),
        .testTarget(name: "LettersTests", dependencies: [
            "Letters", "Domain", .product(name: "SnapshotTesting", package: "swift-snapshot-testing"),
        ], exclude: ["__Snapshots__"]),
        .testTarget(name: "DomainTests", dependencies: [
            "Domain", "TestSupport",
            .product(name: "PropertyBased", package: "swift-property-based"),
        ]),
        .testTarget(name: "IngestTests", dependencies: ["Ingest", "Domain", "TestSupport"]),
        .testTarget(name: "LinkageTests", dependencies: ["Linkage", "Domain"]),
        .testTarget(name: "PrivacyTests", dependencies: ["Privacy", "Domain"]),
        .testTarget(name: "SimulatorTests", dependencies: ["Simulator", "Ingest", "Domain"]),
        .testTarget(name: "StorageTests", dependencies: [
            "Storage", "Domain", "Ingest", "Privacy", "Simulator", "TestSupport", "Workflows", "Letters",
            .product(name: "PropertyBased", package: "swift-property-based"),
        ]),
        .testTarget(name: "CLITests", dependencies: [
            "VangnetCLI", "TestSupport", "Storage", "Domain", "Privacy", "Web",
            .product(name: "SQLKit", package: "sql-kit"), .product(name: "Vapor", package: "vapor"),
        ]),
        .testTarget(name: "WebTests", dependencies: [
            "Web", "VangnetCLI", "TestSupport", "Storage", "Domain", "Privacy", "Workflows", "Letters",
            .product(name: "VaporTesting", package: "vapor"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "SnapshotTesting", package: "swift-snapshot-testing"),
        ], exclude: ["__Snapshots__"]),
    ],
    swiftLanguageModes: [.v6]
)
