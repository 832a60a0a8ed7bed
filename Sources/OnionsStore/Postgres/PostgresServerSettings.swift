/// The settings of a running server that decide whether people on other machines can use it
/// safely, as an administrator's connection reads them (`SHOW`, `pg_hba_file_rules`).
public struct PostgresServerSettings: Sendable, Equatable {
    /// One line of `pg_hba.conf` as the server parsed it.
    public struct HBARule: Sendable, Equatable {
        public var line: Int
        /// `local`, `host`, `hostssl`, `hostnossl`, ...
        public var type: String
        public var databases: [String]
        public var users: [String]
        /// An address (`0.0.0.0`, `::`), `all`, `samehost`, `samenet` or a host name; nil for `local`.
        public var address: String?
        public var netmask: String?
        public var method: String
        /// The server's complaint about the line, when it could not use it.
        public var error: String?

        public init(line: Int, type: String, databases: [String], users: [String], address: String?,
                    netmask: String?, method: String, error: String? = nil) {
            self.line = line
            self.type = type
            self.databases = databases
            self.users = users
            self.address = address
            self.netmask = netmask
            self.method = method
            self.error = error
        }
    }

    public var ssl: String
    public var sslCertFile: String
    public var sharedPreloadLibraries: String
    /// `auth_delay.milliseconds`; nil when the module is not loaded.
    public var authDelayMilliseconds: String?
    public var listenAddresses: String
    public var passwordEncryption: String
    public var logStatement: String
    public var configFile: String
    public var hbaFile: String
    public var hbaRules: [HBARule]
    public var sslKeyFile = ""
    /// Why the server cannot read `ssl_cert_file` (missing, unreadable); nil when it can.
    public var sslCertFileProblem: String?
    /// Why the server cannot read `ssl_key_file`; nil when it can.
    public var sslKeyFileProblem: String?

    public init(ssl: String, sslCertFile: String, sharedPreloadLibraries: String, authDelayMilliseconds: String?,
                listenAddresses: String, passwordEncryption: String, logStatement: String, configFile: String,
                hbaFile: String, hbaRules: [HBARule]) {
        self.ssl = ssl
        self.sslCertFile = sslCertFile
        self.sharedPreloadLibraries = sharedPreloadLibraries
        self.authDelayMilliseconds = authDelayMilliseconds
        self.listenAddresses = listenAddresses
        self.passwordEncryption = passwordEncryption
        self.logStatement = logStatement
        self.configFile = configFile
        self.hbaFile = hbaFile
        self.hbaRules = hbaRules
    }
}
