import Glibc
import OnionsCore
import OnionsCrypto

/// The agent's answer to `.keys`: one packet of a kind byte and the vault's password keys,
/// sent from and received into secret memory (no Swift array ever holds them).
enum AgentKeyAnswer {
    static let kind: UInt8 = 0x4b  // K
    static var packetBytes: Int { 1 + Session.handOverKeyCount }

    /// Sends `keys` after the kind byte; true when the whole packet went.
    static func send(_ fd: Int32, _ keys: SecretBytes) -> Bool {
        let packet = SecretBytes(count: 0, capacity: packetBytes)
        defer { packet.wipe() }
        _ = packet.append(byte: kind)
        _ = packet.append(keys)
        return packet.withUnsafeBytes { body in
            var vector = iovec(iov_base: UnsafeMutableRawPointer(mutating: body.baseAddress), iov_len: body.count)
            return withUnsafeMutablePointer(to: &vector) { v in
                var message = msghdr()
                message.msg_iov = v
                message.msg_iovlen = 1
                while true {
                    let n = sendmsg(fd, &message, Int32(MSG_NOSIGNAL))
                    if n < 0 && errno == EINTR { continue }
                    return n == body.count
                }
            }
        }
    }

    /// What came back: the keys (the caller wipes them), or `.locked`, or nil when the answer
    /// was neither (cut off, too long, or the socket failed or timed out).
    static func receive(_ fd: Int32) -> Received? {
        let packet = SecretBytes(count: packetBytes + 1)
        defer { packet.wipe() }
        let received: Int = packet.withUnsafeMutableBytes { body in
            while true {
                let n = recv(fd, body.baseAddress, body.count, 0)
                if n < 0 && errno == EINTR { continue }
                return n
            }
        }
        let first: UInt8 = packet.withUnsafeBytes { $0[0] }
        if received == 5, AgentMessage.decode(answer: packet.withUnsafeBytes { Array($0.prefix(5)) }) == .locked {
            return .locked
        }
        guard received == packetBytes, first == kind else { return nil }
        return .keys(packet.withUnsafeBytes { SecretBytes(copying: UnsafeRawBufferPointer(rebasing: $0[1..<packetBytes])) })
    }

    enum Received {
        case keys(SecretBytes)
        case locked
    }
}
