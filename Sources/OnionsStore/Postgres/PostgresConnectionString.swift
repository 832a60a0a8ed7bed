import CLibPQ

/// The settings a connection string names itself, read the way libpq reads it.
enum PostgresConnectionString {
    /// The options `url` sets (no defaults, no `PG*` variables): a `postgresql://` URL or
    /// `key=value` settings parsed by libpq, a bare database name as `dbname`, nothing for an
    /// empty string; nil when libpq cannot parse it.
    static func options(_ url: String) -> [String: String]? {
        // libpq reads anything without '=' and without a URI prefix as a bare database name.
        let isConnectionString = url.hasPrefix("postgresql://") || url.hasPrefix("postgres://") || url.contains("=")
        guard isConnectionString else { return url.isEmpty ? [:] : ["dbname": url] }
        // Without libpq nothing can be parsed; connecting then says why.
        guard onions_libpq_load() != 0 else { return nil }
        var error: UnsafeMutablePointer<CChar>?
        guard let parsed = PQconninfoParse(url, &error) else {
            if let error { PQfreemem(error) }
            return nil
        }
        defer { PQconninfoFree(parsed) }
        var options: [String: String] = [:]
        var option = parsed
        while let keyword = option.pointee.keyword {
            if let value = option.pointee.val { options[String(cString: keyword)] = String(cString: value) }
            option += 1
        }
        return options
    }
}
