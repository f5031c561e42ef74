import ArgumentParser
import Foundation
import Privacy

struct Keys: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Encryption keys for personal data at rest.", subcommands: [KeysGenerate.self, KeysRotate.self])
}

struct KeysGenerate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate", abstract: "Write a new key file (readable by its owner only); point VANGNET_KEY_FILE at it.")

    @Option(help: "Where to write the key file.") var out: String

    func run() async throws {
        try await command {
            guard !FileManager.default.fileExists(atPath: out) else {
                throw CommandFailure("\(out) exists; refusing to overwrite a key file (data sealed with it would be lost)")
            }
            try Keyring.write(Keyring.generateFile(), to: out)
            print("Wrote \(out). Keep it out of the database host's backups of the data, and set VANGNET_KEY_FILE=\(out).")
        }
    }
}
