import CLibPQ
import OnionsCrypto

/// A parameter of a PostgreSQL call, sent in binary format with its type named.
///
/// `.secret` is sent straight from its secret memory; every other case is encoded into a
/// plain byte array first, so never put a secret in one of those.
enum PostgresValue {
    case text(String)
    case bytes([UInt8])
    case secret(SecretBytes)
    case int64(Int64)
    case byteaArray([[UInt8]])
    case int64Array([Int64])
    case boolArray([Bool])

    /// The PostgreSQL type OID the server is told.
    var type: Oid {
        switch self {
        case .text: return 25
        case .bytes, .secret: return 17
        case .int64: return 20
        case .byteaArray: return 1001
        case .int64Array: return 1016
        case .boolArray: return 1000
        }
    }

    /// The binary wire form (nil for `.secret`, which is sent from its own memory).
    var encoded: [UInt8]? {
        switch self {
        case .text(let string): return Array(string.utf8)
        case .bytes(let bytes): return bytes
        case .secret: return nil
        case .int64(let value): return Self.bigEndian(value)
        case .byteaArray(let elements): return Self.array(of: 17, elements)
        case .int64Array(let elements): return Self.array(of: 20, elements.map(Self.bigEndian))
        case .boolArray(let elements): return Self.array(of: 16, elements.map { [$0 ? 1 : 0] })
        }
    }

    private static func bigEndian(_ value: Int64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * $0)) }
    }

    private static func bigEndian(_ value: Int32) -> [UInt8] {
        (0..<4).map { UInt8(truncatingIfNeeded: value >> (24 - 8 * $0)) }
    }

    /// A one-dimensional array without NULLs in `array_recv` format: dimensions, flags, element
    /// type, then for each dimension its size and lower bound (1), then each element's length
    /// and bytes. An empty array has no dimensions.
    private static func array(of elementType: Oid, _ elements: [[UInt8]]) -> [UInt8] {
        var out = bigEndian(Int32(elements.isEmpty ? 0 : 1))
        out += bigEndian(Int32(0))
        out += bigEndian(Int32(bitPattern: elementType))
        if !elements.isEmpty {
            out += bigEndian(Int32(elements.count))
            out += bigEndian(Int32(1))
        }
        for element in elements {
            out += bigEndian(Int32(element.count))
            out += element
        }
        return out
    }
}
