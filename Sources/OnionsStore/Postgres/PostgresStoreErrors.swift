import OnionsCore

/// How the server's refusals become `StoreError`s.
extension PostgresStore {
    /// `index=<i> version=<v>` from a conflict's DETAIL.
    static func conflictDetail(_ detail: String?) -> (Int, UInt64)? {
        guard let detail else { return nil }
        var index: Int?, version: UInt64?
        for part in detail.split(separator: " ") {
            let pair = part.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            if pair[0] == "index" { index = Int(pair[1]) }
            if pair[0] == "version" { version = UInt64(pair[1]) }
        }
        guard let index, let version else { return nil }
        return (index, version)
    }

    static func storeError(_ failure: PostgresFailure, doing: String) -> StoreError {
        if failure.kind == .connection {
            return .unavailable("cannot reach the server: \(failure.message)")
        }
        switch failure.sqlState {
        case PostgresFailure.State.vaultExists:
            return .vaultExists
        case PostgresFailure.State.noVault:
            return .unauthorized
        case PostgresFailure.State.undefinedFunction, PostgresFailure.State.invalidSchemaName,
             PostgresFailure.State.insufficientPrivilege:
            return .damaged("The server has no onions schema of version \(PostgresSchema.version) "
                + "(an administrator runs `onions server init`).")
        default:
            return .unavailable("The server refused \(doing): \(failure.message)")
        }
    }
}
