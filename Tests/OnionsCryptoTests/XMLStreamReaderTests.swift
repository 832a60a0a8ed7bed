import Foundation
import Glibc
import XCTest
import OnionsCrypto

/// libxml2's streaming reader behind `XMLStreamReader`: the nodes of a small document, a
/// malformed one, a value cap, and documents whose DTD and entities point outside them, which
/// must be neither read nor expanded.
final class XMLStreamReaderTests: XCTestCase {
    /// One node as the walk saw it: kind, local name, text, `Protected` attribute, emptiness.
    struct Step: Equatable {
        var node: XMLStreamReader.Node
        var name = ""
        var text = ""
        var protected: String?
        var empty = false
    }

    /// Every node of `document`, text values read through `appendValue`.
    func walk(_ document: String) throws -> [Step] {
        let reader = try XMLStreamReader(SecretBytes(copying: Array(document.utf8)))
        var steps: [Step] = []
        while try reader.read() {
            var step = Step(node: reader.node)
            switch reader.node {
            case .element:
                step.name = reader.localName
                step.protected = reader.attribute("Protected")
                step.empty = reader.isEmptyElement
            case .endElement:
                step.name = reader.localName
            case .text:
                var value = SecretBytes(count: 0, capacity: 4)
                XCTAssertTrue(reader.appendValue(to: &value, limit: 1 << 20))
                step.text = value.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
                value.wipe()
            case .other:
                break
            }
            steps.append(step)
        }
        return steps
    }

    func testWalksElementsTextAttributesAndEmptyElements() throws {
        let steps = try walk("""
        <?xml version="1.0" encoding="utf-8"?>
        <kp:Root xmlns:kp="urn:x"><Value Protected="True">x &amp; é</Value><Key Other="1"/><!-- a note -->\
        <Notes><![CDATA[<b>]]></Notes></kp:Root>
        """)
        XCTAssertEqual(steps, [
            Step(node: .element, name: "Root"),
            Step(node: .element, name: "Value", protected: "True"),
            Step(node: .text, text: "x & é"),
            Step(node: .endElement, name: "Value"),
            Step(node: .element, name: "Key", empty: true),
            Step(node: .other),
            Step(node: .element, name: "Notes"),
            Step(node: .text, text: "<b>"),
            Step(node: .endElement, name: "Notes"),
            Step(node: .endElement, name: "Root"),
        ])
    }

    func testAMalformedDocumentFails() throws {
        for document in ["<a><b></a>", "<a>", "<a x=1/>", "not xml", "<a>&undefined;</a>"] {
            XCTAssertThrowsError(try walk(document), document) {
                XCTAssertEqual($0 as? XMLStreamReader.Failure, .malformed, document)
            }
        }
    }

    func testAValuePastTheLimitIsRefusedAndNothingAppended() throws {
        let reader = try XMLStreamReader(SecretBytes(copying: Array("<a>0123456789</a>".utf8)))
        XCTAssertTrue(try reader.read())
        XCTAssertTrue(try reader.read())
        XCTAssertEqual(reader.node, .text)
        var value = SecretBytes(copying: Array("abc".utf8), capacity: 3)
        XCTAssertFalse(reader.appendValue(to: &value, limit: 12))
        XCTAssertEqual(value.testArray, Array("abc".utf8))
        XCTAssertTrue(reader.appendValue(to: &value, limit: 13), "exactly the limit fits")
        XCTAssertEqual(value.testArray, Array("abc0123456789".utf8), "the owner grew past its first capacity")
    }

    /// An external DTD (declaring an entity and a default attribute), external general and
    /// parameter entities on disk and on a local listener: nothing of them reaches the walk, and
    /// nobody connects to the listener.
    func testNoExternalDTDOrEntityIsLoadedOrExpanded() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("xml-reader-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let secret = folder.appendingPathComponent("secret.txt")
        try "LEAKED-FILE".write(to: secret, atomically: true, encoding: .utf8)
        let dtd = folder.appendingPathComponent("outside.dtd")
        try """
        <!ENTITY fromdtd "LEAKED-DTD">
        <!ATTLIST Root Protected CDATA "LEAKED-DEFAULT">
        """.write(to: dtd, atomically: true, encoding: .utf8)
        let parameter = folder.appendingPathComponent("parameter.dtd")
        try #"<!ENTITY fromparameter "LEAKED-PARAMETER">"#.write(to: parameter, atomically: true, encoding: .utf8)
        let listener = try Listener()
        defer { listener.close() }

        let steps = try walk("""
        <?xml version="1.0"?>
        <!DOCTYPE Root SYSTEM "\(dtd.absoluteString)" [
          <!ENTITY file SYSTEM "\(secret.absoluteString)">
          <!ENTITY net SYSTEM "http://127.0.0.1:\(listener.port)/entity">
          <!ENTITY % local SYSTEM "\(parameter.absoluteString)">
          <!ENTITY % remote SYSTEM "http://127.0.0.1:\(listener.port)/parameter.dtd">
          %local;
          %remote;
        ]>
        <Root>a&file;b&net;c&fromdtd;d&fromparameter;e</Root>
        """)
        let seen = steps.map { "\($0.name)|\($0.text)|\($0.protected ?? "")" }.joined(separator: " ")
        XCTAssertFalse(seen.contains("LEAKED"), seen)
        XCTAssertEqual(steps.filter { $0.node == .text }.map(\.text), ["a", "b", "c", "d", "e"], "entity references stay unexpanded")
        XCTAssertEqual(steps.first { $0.node == .element }, Step(node: .element, name: "Root"), "no default attribute from the DTD")
        XCTAssertFalse(listener.wasContacted, "the reader connected to the network")
    }
}

/// A TCP socket listening on a free port of 127.0.0.1 that never accepts: a connection
/// attempt waits in its queue, where `wasContacted` sees it.
private final class Listener {
    let fd: Int32
    let port: UInt16

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && listen(fd, 8) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { Glibc.close(fd); throw POSIXError(.EADDRNOTAVAIL) }
        self.fd = fd
        port = UInt16(bigEndian: address.sin_port)
    }

    var wasContacted: Bool {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&poller, 1, 0) > 0
    }

    func close() { Glibc.close(fd) }
}
