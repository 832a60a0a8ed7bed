#if DEBUG
import OnionsCrypto
import Synchronization

/// A lower vault KDF floor for in-process tests of debug builds only, so that thousands of test
/// vaults do not each cost 2^15 of scrypt. It does not exist in release builds (the `onions`
/// binary every end-to-end test drives), and nothing outside the process can reach it: no flag,
/// no environment variable. A test case lowers it in `setUp` and resets it in `tearDown`, so
/// tests of the floor itself, which do not lower it, see the real one.
public enum TestingKDFFloor {
    private static let lowered = Mutex<ScryptParameters?>(nil)

    static var current: ScryptParameters? { lowered.withLock { $0 } }

    /// Lets vault keys be derived from `floor` until `reset()`.
    public static func lower(to floor: ScryptParameters) { lowered.withLock { $0 = floor } }

    /// Puts the real floor back.
    public static func reset() { lowered.withLock { $0 = nil } }

    /// Runs `body` (a whole test: `invokeTest`) with the floor lowered to `floor`, then resets it.
    public static func whileLowered(to floor: ScryptParameters, _ body: () -> Void) {
        lower(to: floor)
        defer { reset() }
        body()
    }
}
#endif
