import CLibFuzzer
import Glibc

/// What libFuzzer calls with each input; returns 0 (a crash is how an input fails).
public typealias FuzzTest = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt

/// Runs libFuzzer on `test` with this process's arguments (`-runs=`, corpus folders…) and
/// exits with its status.
///
/// `test` must also be exported as `LLVMFuzzerTestOneInput`: the fuzzer runtime refers to it.
public func runFuzzer(_ test: FuzzTest) -> Never {
    var argc = CommandLine.argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv, test))
}

/// The bytes of one input, as an array.
public func fuzzInput(_ data: UnsafePointer<UInt8>?, _ count: Int) -> [UInt8] {
    guard let data, count > 0 else { return [] }
    return Array(UnsafeBufferPointer(start: data, count: count))
}
