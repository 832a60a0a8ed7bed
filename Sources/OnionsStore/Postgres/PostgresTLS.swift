import Glibc

/// The TLS rule for server connections: `sslmode=verify-full` unless the server is on this
/// machine or the URL itself names another mode.
///
/// A server counts as on this machine only when every host the connection string names (and
/// every `hostaddr`) is a Unix socket path, `localhost`, an address in 127.0.0.0/8 or `::1`;
/// with no host at all, libpq's default socket is used. A host that comes from `PGHOST` or
/// `PGHOSTADDR` counts like one in the URL; a host that may come from a service file (`service`
/// or `PGSERVICE` without a host) counts as another machine. Only the URL can weaken TLS:
/// `PGSSLMODE` and service files do not lower the default (onions passes `sslmode=verify-full`
/// explicitly, which overrides them). libpq ignores `sslmode` on Unix sockets.
public enum PostgresTLS {
    /// What the rule decided for one connection string.
    public enum Decision: Equatable, Sendable {
        /// Every target is on this machine: libpq's own default applies.
        case local
        /// No `sslmode` in the URL and a server elsewhere: onions asks for `verify-full`.
        case verifyFull
        /// The URL names this `sslmode` for a server elsewhere.
        case spelledOut(String)
    }

    /// The decision for `url` (a `postgresql://` URL, `key=value` settings, a bare database name
    /// or empty), with `environment` supplying the `PG*` variables libpq would read.
    ///
    /// A string libpq cannot parse decides `.verifyFull` (the connection then fails on its own).
    public static func decide(url: String, environment: [String: String]) -> Decision {
        guard let options = PostgresConnectionString.options(url) else { return .verifyFull }
        let hosts = list(options["host"] ?? environment["PGHOST"])
        let addresses = list(options["hostaddr"] ?? environment["PGHOSTADDR"])
        let serviceMayNameHost = options["host"] == nil && environment["PGHOST"] == nil
            && (options["service"] ?? environment["PGSERVICE"]).map { !$0.isEmpty } == true
        if !serviceMayNameHost && targetsAreLocal(hosts: hosts, addresses: addresses) { return .local }
        if let mode = options["sslmode"], !mode.isEmpty { return .spelledOut(mode) }
        return .verifyFull
    }

    /// The one-line warning for a URL that spells out a weaker mode than `verify-full` for a
    /// server elsewhere; nil otherwise.
    public static func warning(url: String, environment: [String: String]) -> String? {
        guard case .spelledOut(let mode) = decide(url: url, environment: environment), mode != "verify-full" else {
            return nil
        }
        let risk: String
        switch mode {
        case "verify-ca":
            risk = "the certificate's host name is not checked, so another server with a certificate from the same "
                + "authority could pose as this one"
        case "require":
            risk = "the certificate is not checked, so someone on the network could pose as the server"
        default:
            risk = "the connection may not be encrypted, so someone on the network could read or change what is sent"
        }
        return "the server URL says sslmode=\(mode): \(risk); leave sslmode out to get verify-full"
    }

    /// The sentence added to a failed connection that TLS refused.
    static let setUpAdvice = "The server's TLS certificate could not be verified (onions uses sslmode=verify-full "
        + "for a server on another machine unless the URL names another sslmode; PGSSLMODE does not lower it). "
        + "The server needs ssl = on with a certificate for the host name in the URL "
        + "(see 'onions server init --help'), and this machine needs the certificate of the authority that "
        + "signed it, in ~/.postgresql/root.crt or in the file the URL names with sslrootcert=FILE."

    /// True when a connection failure under `decision` is TLS refusing the server.
    static func isTLSFailure(_ message: String, under decision: Decision) -> Bool {
        let verifying: Bool
        switch decision {
        case .local: verifying = false
        case .verifyFull: verifying = true
        case .spelledOut(let mode): verifying = ["require", "verify-ca", "verify-full"].contains(mode)
        }
        let lowered = message.lowercased()
        return verifying && (lowered.contains("ssl") || lowered.contains("certificate"))
    }

    /// A comma-separated libpq list (hosts, addresses); empty for nil or "".
    private static func list(_ value: String?) -> [String] {
        guard let value, !value.isEmpty else { return [] }
        return value.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    }

    private static func targetsAreLocal(hosts: [String], addresses: [String]) -> Bool {
        if !hosts.isEmpty && !addresses.isEmpty && hosts.count != addresses.count { return false }
        if !hosts.allSatisfy(isLocalHost) { return false }
        return addresses.allSatisfy { $0.isEmpty || isLoopbackAddress($0) }
    }

    /// An empty entry (the default socket), a socket path, `localhost` or a loopback address.
    private static func isLocalHost(_ host: String) -> Bool {
        host.isEmpty || host.hasPrefix("/") || host.hasPrefix("@") || host.lowercased() == "localhost"
            || isLoopbackAddress(host)
    }

    /// 127.0.0.0/8 in dotted-quad form, `::1`, or 127.0.0.0/8 mapped into IPv6.
    private static func isLoopbackAddress(_ text: String) -> Bool {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return UInt32(bigEndian: v4.s_addr) >> 24 == 127
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return false }
        let bytes = withUnsafeBytes(of: v6) { Array($0) }
        if bytes[0..<15].allSatisfy({ $0 == 0 }) && bytes[15] == 1 { return true }
        return bytes[0..<10].allSatisfy { $0 == 0 } && bytes[10] == 0xff && bytes[11] == 0xff && bytes[12] == 127
    }
}
