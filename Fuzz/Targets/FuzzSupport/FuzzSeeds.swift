import Glibc

/// Writes a target's seed inputs, made by the real encoders, when the fuzzer is started with
/// `ONIONS_FUZZ_WRITE_SEEDS=DIR` (scripts/fuzz.sh seeds), then ends the process.
///
/// Without the variable it returns at once. Each seed goes to `DIR/NAME` (replaced if
/// present); a failed write ends the process with status 1.
public func writeSeedsIfAsked(_ seeds: () throws -> [(name: String, bytes: [UInt8])]) {
    guard let directory = getenv("ONIONS_FUZZ_WRITE_SEEDS").map({ String(cString: $0) }) else { return }
    do {
        for seed in try seeds() {
            let path = directory + "/" + seed.name
            let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0o644)
            guard fd >= 0 else { fail("cannot create \(path)") }
            let written = seed.bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard written == seed.bytes.count, close(fd) == 0 else { fail("cannot write \(path)") }
        }
    } catch {
        fail("the encoders failed: \(error)")
    }
    exit(0)
}

private func fail(_ message: String) -> Never {
    let line = Array("fuzz seeds: \(message)\n".utf8)
    _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    exit(1)
}
