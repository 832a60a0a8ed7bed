/// A `postgresql://` URL, split where the bench changes it: who logs in and which database.
///
/// Names and passwords the bench puts in are lower-case letters, digits and "_", so nothing
/// needs percent-encoding.
struct ServerURL {
    private let scheme: String
    /// "user:password" (percent-encoded as given), nil when the URL names no one.
    var userInfo: String?
    private let hostAndPort: String
    var database: String
    /// "?..." or empty.
    private let query: String

    /// Throws unless `text` starts with `postgresql://` or `postgres://`.
    init(_ text: String) throws {
        guard let schemeEnd = text.firstRange(of: "://"),
              ["postgresql", "postgres"].contains(String(text[..<schemeEnd.lowerBound])) else {
            throw BenchFailure("\(BenchServer.variable) must be a postgresql:// URL")
        }
        scheme = String(text[..<schemeEnd.upperBound])
        let rest = text[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        if let at = authority.lastIndex(of: "@") {
            userInfo = String(authority[..<at])
            hostAndPort = String(authority[authority.index(after: at)...])
        } else {
            userInfo = nil
            hostAndPort = String(authority)
        }
        var path = rest[authorityEnd...]
        let queryStart = path.firstIndex(of: "?") ?? path.endIndex
        query = String(path[queryStart...])
        path = path[..<queryStart]
        database = String(path.drop { $0 == "/" })
    }

    var text: String {
        scheme + (userInfo.map { $0 + "@" } ?? "") + hostAndPort + "/" + database + query
    }
}
