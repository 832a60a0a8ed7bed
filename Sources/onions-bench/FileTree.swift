import Glibc

/// Removes a file, or a folder and everything under it (symbolic links are not followed).
func removeTree(_ path: String) {
    var info = stat()
    guard lstat(path, &info) == 0 else { return }
    if info.st_mode & S_IFMT == S_IFDIR, let children = childNames(path) {
        for child in children { removeTree(path + "/" + child) }
        _ = rmdir(path)
    } else {
        _ = unlink(path)
    }
}

/// The names in a folder, without "." and ".."; nil when it cannot be opened.
func childNames(_ folder: String) -> [String]? {
    guard let handle = opendir(folder) else { return nil }
    defer { closedir(handle) }
    var names: [String] = []
    while let entry = readdir(handle) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        if name != "." && name != ".." { names.append(name) }
    }
    return names
}
