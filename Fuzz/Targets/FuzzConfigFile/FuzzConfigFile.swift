import FuzzSupport
import OnionsCore

// The config file as read from disk: any bytes, never a crash, every mistake a problem line.

/// The seed inputs: what the real encoders write, and edge cases.
func seeds() throws -> [(name: String, bytes: [UInt8])] {
    [
        ("every-key", Array("""
        # onions settings
        store = ~/vaults/onions.db
        remote = "postgresql://vault@db.example/onions?sslmode=verify-full"
        lock_after = 600  # ten minutes
        clipboard_seconds = 30
        kdf_cost = 17

        """.utf8)),
        ("mistakes", Array("store =\r\nlock_after = -1\nkdf_cost = 99\nunknown = 1\nstore = \"unterminated\nno equals sign\n".utf8)),
        ("quotes", Array("store = \"/a path/with # hash\"  \nremote = \"\"\n".utf8)),
    ]
}

/// One input.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let config = ConfigFile(path: "/home/fuzz/.config/onions/config", contents: .bytes(fuzzInput(data, count)),
                            environment: ["HOME": "/home/fuzz"])
    for problem in config.problems {
        precondition(problem.hasPrefix(config.path), "a problem line does not name the file")
    }
    return 0
}
