import Glibc
import OnionsCrypto

/// Where the agent of one vault listens, and the checks both ends make on that place.
///
/// One agent per vault: the socket's name is a digest of the store's real path, the user and
/// the remote, so a command finds the agent of the vault it names and no other. The folder is
/// `$XDG_RUNTIME_DIR/onions`, which must be a folder of this user that nobody else may enter
/// (0700); the socket itself is 0600.
enum AgentSocket {
    /// Why there is no place for an agent's socket.
    struct Unusable: Error, CustomStringConvertible {
        let description: String
    }

    /// `$XDG_RUNTIME_DIR/onions`, made (0700) when missing; refused when it is not a private
    /// folder of this user.
    static func directory(environment: [String: String], create: Bool) throws -> String {
        guard let runtime = environment["XDG_RUNTIME_DIR"], runtime.hasPrefix("/") else {
            throw Unusable(description: "XDG_RUNTIME_DIR is not set to an absolute path, so there is no private place for the agent's socket")
        }
        let folder = runtime.hasSuffix("/") ? runtime + "onions" : runtime + "/onions"
        if create, mkdir(folder, 0o700) != 0, errno != EEXIST {
            throw Unusable(description: "cannot make the folder \(folder): \(String(cString: strerror(errno)))")
        }
        var info = stat()
        guard lstat(folder, &info) == 0 else {
            throw Unusable(description: "cannot look at the folder \(folder): \(String(cString: strerror(errno)))")
        }
        guard info.st_mode & S_IFMT == S_IFDIR, info.st_uid == getuid(), info.st_mode & 0o077 == 0 else {
            throw Unusable(description: "\(folder) is not a folder of this user closed to others (mode 0700); the agent does not use it")
        }
        return folder
    }

    /// The socket's path for the vault of `user` in the store at `storePath` synced with
    /// `remote`; nil when the store does not exist (no agent can hold it).
    static func path(storePath: String, user: String, remote: String?, environment: [String: String],
                     create: Bool = false) throws -> String? {
        guard let real = realpath(storePath, nil) else { return nil }
        defer { free(real) }
        let vault = Array(String(cString: real).utf8) + [0] + Array(user.utf8)
        let identity = vault + [0] + Array((remote ?? "").utf8)
        let name = vaultPrefix(vault) + Hex.encode(Array(SHA256.hash(identity).prefix(8))) + ".sock"
        let path = try directory(environment: environment, create: create) + "/" + name
        guard path.utf8.count < MemoryLayout.size(ofValue: sockaddr_un().sun_path) else {
            throw Unusable(description: "the agent's socket path would be longer than a Unix socket allows")
        }
        return path
    }

    /// A Unix socket address for `path` (checked for length by `path`).
    /// The start every socket name of the vault (store and user) shares, whatever its remote:
    /// `onions lock` finds every agent of the vault by it.
    private static func vaultPrefix(_ vault: [UInt8]) -> String {
        "agent-" + Hex.encode(Array(SHA256.hash(vault).prefix(8))) + "-"
    }

    /// The sockets of every agent of the vault of `user` in the store at `storePath`, whatever
    /// remote each was started with; empty when the store or the folder does not exist.
    static func paths(storePath: String, user: String, environment: [String: String]) -> [String] {
        guard let real = realpath(storePath, nil) else { return [] }
        let prefix = vaultPrefix(Array(String(cString: real).utf8) + [0] + Array(user.utf8))
        free(real)
        guard let folder = try? directory(environment: environment, create: false), let dir = opendir(folder) else {
            return []
        }
        defer { closedir(dir) }
        var found: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name.hasPrefix(prefix) && name.hasSuffix(".sock") { found.append(folder + "/" + name) }
        }
        return found.sorted()
    }

    static func address(_ path: String) -> sockaddr_un {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, byte) in path.utf8.enumerated() where i < raw.count - 1 { raw[i] = byte }
        }
        return address
    }

    /// The user id of the process at the other end of a connected socket, nil when unknown.
    static func peerUID(_ fd: Int32) -> uid_t? {
        peerCredentials(fd).map { $0.1 }
    }

    /// The process id at the other end of a connected socket (for the agent's log).
    static func peerPID(_ fd: Int32) -> pid_t? {
        peerCredentials(fd).map { $0.0 }
    }

    private static func peerCredentials(_ fd: Int32) -> (Int32, UInt32, UInt32)? {
        // struct ucred: pid, uid, gid (Glibc shows it to Swift only under _GNU_SOURCE).
        var credentials: (Int32, UInt32, UInt32) = (0, 0, 0)
        var length = socklen_t(MemoryLayout.size(ofValue: credentials))
        guard getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &credentials, &length) == 0,
              length == socklen_t(MemoryLayout.size(ofValue: credentials)) else { return nil }
        return credentials
    }
}
