import Foundation
import Logging
import Privacy
import ServiceLifecycle
import Storage
import Web

/// Reloads the key file while the server runs, so that `vangnet keys rotate` never stops reads:
/// the new key is loaded here before any data is sealed with it. A service of the server's group;
/// it stops at once on graceful shutdown (it holds nothing).
struct KeyFileWatcher: Service {
    /// How often the file is checked (`vangnet keys rotate --grace` waits longer than this).
    static let interval: Duration = .seconds(5)
    let path: String
    let store: Store
    let logger = Logger(label: "vangnet.keys")

    func run() async {
        var seen = Self.modification(path)
        while await sleepUnlessStopping(for: Self.interval) {
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
        logger.notice("key file watcher stopped", metadata: ["component": "keys"])
    }

    static func modification(_ path: String) -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
    }
}
