/// A failed PostgreSQL call: the connection is gone, or the server raised an error.
///
/// Holds the server's SQLSTATE, primary message and detail: the functions of Resources/schema.sql
/// put no stored value into them, and parameters go in binary, so no secret reaches one.
struct PostgresFailure: Error, CustomStringConvertible {
    enum Kind {
        /// No connection (the message is libpq's, without any password).
        case connection
        /// The server refused the call.
        case server
    }

    let kind: Kind
    let sqlState: String?
    let message: String
    let detail: String?

    var description: String {
        kind == .connection ? "cannot reach the PostgreSQL server: \(message)"
            : "the PostgreSQL server refused an operation: \(message)"
    }

    static func connection(_ message: String) -> PostgresFailure {
        PostgresFailure(kind: .connection, sqlState: nil, message: message, detail: nil)
    }

    /// The SQLSTATEs the onions schema raises, and the standard ones the store interprets.
    enum State {
        static let conflict = "ON001"
        static let vaultExists = "ON002"
        static let invalidArgument = "ON003"
        static let noVault = "ON004"
        static let undefinedFunction = "42883"
        static let invalidSchemaName = "3F000"
        static let insufficientPrivilege = "42501"
        static let lockNotAvailable = "55P03"
    }
}
