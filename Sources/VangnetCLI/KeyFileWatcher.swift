import Foundation
import Logging
import Privacy
import Storage

/// Reloads the key file while the server runs, so that `vangnet keys rotate` never stops reads:
/// the new key is loaded here before any data is sealed with it.
struct KeyFileWatcher {
    static let interval: Duration = .seconds(5)
    let path: String
    let store: Store
    let logger = Logger(label: "vangnet.keys")

    func start() -> Task<Void, Never> {
        Task {
            var seen = Self.modification(path)
            while !Task.isCancelled {
                try? await Task.sleep(for: Self.interval)
                let now = Self.modification(path)
                guard now != seen else { continue }
                seen = now
                do {
                    let keyring = try Keyring(path: path)
                    try store.replaceKeys(keyring)
                    logger.info("key file reloaded", metadata: ["component": "keys", "current_key": "\(keyring.currentKeyID)"])
                } catch {
                    // Keep the keys in use; a half-edited or wrong file must not take the server down.
                    logger.error("key file changed but cannot be used; keeping the current keys",
                                 metadata: ["component": "keys", "problem": "\(String(describing: error))"])
                }
            }
        }
    }

    static func modification(_ path: String) -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
    }
}
