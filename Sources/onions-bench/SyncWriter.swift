import Glibc
import OnionsCore
import OnionsCrypto
import OnionsStore

/// A machine that saves onions through the server as fast as it can, in a child process: the
/// load of `sync-live-3writers`.
///
/// Hidden mode `sync-writer FOLDER`: logs in on the machine in FOLDER (a copy of the bench vault)
/// synced with the server whose client URL is in env `ONIONS_BENCH_WRITER_URL`, prints "ready"
/// on standard output, waits for the file FOLDER.go to exist (so that every machine logs in
/// before any saves), then saves one new onion after another (a title and 300 characters),
/// syncing whenever the server announced a change or a save could not be pushed at once, until
/// SIGTERM ends it.
enum SyncWriter {
    static let mode = "sync-writer"
    static let urlVariable = "ONIONS_BENCH_WRITER_URL"

    static func main(_ arguments: [String]) -> Int32 {
        guard arguments.count == 1, let url = getenv(urlVariable).map({ String(cString: $0) }) else {
            printError("usage: \(urlVariable)=URL \(mode) FOLDER")
            return 2
        }
        do {
            let session = try BenchMachine(folder: arguments[0]).logIn(SyncRemote { try PostgresStore(url: url) },
                                                                       expecting: nil)
            printLine("ready")
            while access(arguments[0] + ".go", F_OK) != 0 { usleep(10_000) }
            var text = SampleText(seed: UInt64(getpid()))
            var saved = 0
            while true {
                let title = SecretBytes(copying: text.title(saved))
                let info = SecretBytes(copying: text.info(length: 300))
                defer { title.wipe(); info.wipe() }
                try session.saveOnion(id: nil, title: title, info: info)
                saved += 1
                while session.pollRemote(timeoutMs: 0) { try session.syncNow() }
            }
        } catch {
            printError("\(mode): \(error)")
            return 1
        }
    }
}
