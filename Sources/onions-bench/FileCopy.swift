import Glibc

/// Copies a folder and everything under it (regular files and folders only) to `destination`,
/// which must not exist yet. Files are created private to the user.
func copyTree(from source: String, to destination: String) throws {
    var info = stat()
    guard lstat(source, &info) == 0 else { throw BenchFailure("cannot read \(source)") }
    if info.st_mode & S_IFMT == S_IFDIR {
        guard mkdir(destination, 0o700) == 0, let children = childNames(source) else {
            throw BenchFailure("cannot copy the folder \(source) to \(destination)")
        }
        for child in children { try copyTree(from: source + "/" + child, to: destination + "/" + child) }
    } else if info.st_mode & S_IFMT == S_IFREG {
        try copyFile(from: source, to: destination)
    }
}

private func copyFile(from source: String, to destination: String) throws {
    let input = open(source, O_RDONLY | O_CLOEXEC)
    guard input >= 0 else { throw BenchFailure("cannot read \(source)") }
    defer { close(input) }
    let output = open(destination, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
    guard output >= 0 else { throw BenchFailure("cannot create \(destination)") }
    defer { close(output) }
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    while true {
        let n = chunk.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
        if n < 0 && errno == EINTR { continue }
        guard n >= 0 else { throw BenchFailure("cannot read \(source)") }
        if n == 0 { break }
        var written = 0
        while written < n {
            let w = chunk.withUnsafeBytes { write(output, $0.baseAddress! + written, n - written) }
            if w < 0 && errno == EINTR { continue }
            guard w > 0 else { throw BenchFailure("cannot write \(destination)") }
            written += w
        }
    }
}
