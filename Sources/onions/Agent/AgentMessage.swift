import Glibc

/// What a command and the agent say to each other: one packet each way on a `SOCK_SEQPACKET`
/// socket.
///
/// The request carries a kind, the command's words, and for `run` the command's standard input,
/// output, error and working folder as descriptors, so that the agent reads and writes exactly
/// where the command would have (plaintext never passes through the socket). The answer is a
/// kind and an exit code.
enum AgentMessage {
    /// The largest request, in bytes: longer command lines run without the agent.
    static let maximumRequestBytes = 60 * 1024
    static let magic: [UInt8] = Array("onions-agent-1".utf8)

    enum Request: UInt8 {
        /// Run the command in the words, on the passed descriptors.
        case run = 0x72  // r
        /// Lock now (`onions lock`).
        case lock = 0x6c  // l
        /// Lock and quit (a new agent for the same vault takes over).
        case quit = 0x71  // q
        /// Hand the vault's password keys to the interface (`AgentKeyAnswer`).
        case keys = 0x6b  // k
    }

    enum Answer: Equatable {
        /// The command ran (or the lock happened) and ended with this code.
        case exit(Int32)
        /// The agent is locked: the command must ask for the password itself.
        case locked
    }

    /// The bytes of a request: the magic, the kind, then each word ended by a zero byte.
    static func encode(_ kind: Request, words: [String]) -> [UInt8]? {
        var bytes = magic + [kind.rawValue]
        for word in words {
            guard !word.utf8.contains(0) else { return nil }
            bytes += Array(word.utf8) + [0]
        }
        return bytes.count <= maximumRequestBytes ? bytes : nil
    }

    /// The kind and words of a request, nil when it is not one.
    static func decode(_ bytes: ArraySlice<UInt8>) -> (Request, [String])? {
        guard bytes.count > magic.count, bytes.prefix(magic.count).elementsEqual(magic),
              let kind = Request(rawValue: bytes[bytes.startIndex + magic.count]) else { return nil }
        let body = bytes.dropFirst(magic.count + 1)
        guard body.isEmpty || body.last == 0 else { return nil }
        let words = body.dropLast().split(separator: 0, omittingEmptySubsequences: false)
        return (kind, body.isEmpty ? [] : words.map { String(decoding: $0, as: UTF8.self) })
    }

    static func encode(_ answer: Answer) -> [UInt8] {
        switch answer {
        case .locked: return [0x4c, 0, 0, 0, 0]
        case .exit(let code):
            let value = UInt32(bitPattern: code)
            return [0x78, UInt8(value & 0xff), UInt8(value >> 8 & 0xff), UInt8(value >> 16 & 0xff), UInt8(value >> 24)]
        }
    }

    static func decode(answer bytes: [UInt8]) -> Answer? {
        guard bytes.count == 5 else { return nil }
        if bytes[0] == 0x4c { return .locked }
        guard bytes[0] == 0x78 else { return nil }
        let value = UInt32(bytes[1]) | UInt32(bytes[2]) << 8 | UInt32(bytes[3]) << 16 | UInt32(bytes[4]) << 24
        return .exit(Int32(bitPattern: value))
    }

    // MARK: Packets with descriptors

    private static let headerBytes = MemoryLayout<cmsghdr>.size

    /// Sends one packet, with `descriptors` attached (SCM_RIGHTS) when there are any.
    static func send(_ fd: Int32, _ bytes: [UInt8], descriptors: [Int32] = []) -> Bool {
        var payload = bytes
        let dataBytes = descriptors.count * MemoryLayout<Int32>.size
        var control = [UInt8](repeating: 0, count: descriptors.isEmpty ? 0 : headerBytes + (dataBytes + 7) / 8 * 8)
        return payload.withUnsafeMutableBytes { body in
            control.withUnsafeMutableBytes { ctl in
                if !descriptors.isEmpty {
                    let header = ctl.baseAddress!.assumingMemoryBound(to: cmsghdr.self)
                    header.pointee.cmsg_len = headerBytes + dataBytes
                    header.pointee.cmsg_level = SOL_SOCKET
                    header.pointee.cmsg_type = Int32(SCM_RIGHTS)
                    for (i, d) in descriptors.enumerated() {
                        ctl.storeBytes(of: d, toByteOffset: headerBytes + i * 4, as: Int32.self)
                    }
                }
                var vector = iovec(iov_base: body.baseAddress, iov_len: body.count)
                return withUnsafeMutablePointer(to: &vector) { v in
                    var message = msghdr()
                    message.msg_iov = v
                    message.msg_iovlen = 1
                    if !descriptors.isEmpty {
                        message.msg_control = ctl.baseAddress
                        message.msg_controllen = ctl.count
                    }
                    while true {
                        let n = sendmsg(fd, &message, Int32(MSG_NOSIGNAL))
                        if n < 0 && errno == EINTR { continue }
                        return n == body.count
                    }
                }
            }
        }
    }

    /// Receives one packet and up to `maximumDescriptors` descriptors (close-on-exec); nil when
    /// the packet was cut off, its descriptors did not all arrive, or the socket failed. The
    /// caller closes the descriptors.
    static func receive(_ fd: Int32, maximumDescriptors: Int) -> (bytes: [UInt8], descriptors: [Int32])? {
        var buffer = [UInt8](repeating: 0, count: maximumRequestBytes + 1)
        var control = [UInt8](repeating: 0, count: headerBytes + (maximumDescriptors * 4 + 7) / 8 * 8)
        var received = -1
        var flags: Int32 = 0
        var controlLength = 0
        buffer.withUnsafeMutableBytes { body in
            control.withUnsafeMutableBytes { ctl in
                var vector = iovec(iov_base: body.baseAddress, iov_len: body.count)
                withUnsafeMutablePointer(to: &vector) { v in
                    var message = msghdr()
                    message.msg_iov = v
                    message.msg_iovlen = 1
                    message.msg_control = maximumDescriptors > 0 ? ctl.baseAddress : nil
                    message.msg_controllen = maximumDescriptors > 0 ? ctl.count : 0
                    repeat { received = recvmsg(fd, &message, Int32(MSG_CMSG_CLOEXEC)) } while received < 0 && errno == EINTR
                    flags = message.msg_flags
                    controlLength = message.msg_controllen
                }
            }
        }
        var descriptors: [Int32] = []
        if controlLength >= headerBytes {
            control.withUnsafeBytes { ctl in
                let length = ctl.load(fromByteOffset: 0, as: Int.self)
                let level = ctl.load(fromByteOffset: 8, as: Int32.self)
                let type = ctl.load(fromByteOffset: 12, as: Int32.self)
                if level == SOL_SOCKET && type == Int32(SCM_RIGHTS) && length >= headerBytes && length <= ctl.count {
                    for i in 0..<(length - headerBytes) / 4 {
                        descriptors.append(ctl.load(fromByteOffset: headerBytes + i * 4, as: Int32.self))
                    }
                }
            }
        }
        defer { wipe(&buffer) }  // a command's words can be texts of the vault (a title, a search)
        guard received >= 0, received <= maximumRequestBytes, flags & Int32(MSG_TRUNC | MSG_CTRUNC) == 0 else {
            for d in descriptors { close(d) }
            return nil
        }
        return (Array(buffer[0..<received]), descriptors)
    }

    /// Overwrites bytes in place with zeros before they are freed.
    static func wipe(_ bytes: inout [UInt8]) {
        for i in bytes.indices { bytes[i] = 0 }
    }
}
