internal import CXML2
import Glibc

/// libxml2's streaming (text) reader over an XML document held in secret memory, for formats
/// whose decrypted inner layer is XML (KeePass KDBX).
///
/// The parser runs with network access off (`XML_PARSE_NONET`), CDATA sections reported as
/// text, and neither entity substitution (`XML_PARSE_NOENT`) nor DTD loading
/// (`XML_PARSE_DTDLOAD`): an entity reference stays a node of its own, which `node` reports as
/// `.other`, and nothing outside the document is read. libxml2 prints no errors; a malformed
/// document is the `.malformed` failure of `read()`. The document is kept alive (not copied)
/// while the reader lives, and must not be wiped before it is released.
public final class XMLStreamReader {
    /// Why the document could not be read; never carries its content.
    public enum Failure: Error, Equatable, Sendable {
        /// libxml2 could not set up a reader over the bytes, or could not be loaded
        /// (`libraryProblem` says why).
        case cannotStart
        /// The document is not well-formed XML (or libxml2 refused it).
        case malformed
    }

    /// The kinds of node a caller tells apart.
    public enum Node: Equatable, Sendable {
        /// A start tag (also an empty element: see `isEmptyElement`).
        case element
        /// Character data: text, a CDATA section, or whitespace.
        case text
        /// An end tag.
        case endElement
        /// Anything else: comments, processing instructions, the doctype, entity references.
        case other
    }

    /// Why libxml2 cannot be loaded, nil when it can (it is opened when first needed).
    public static var libraryProblem: String? {
        onions_libxml2_load() != 0 ? nil : "libxml2 (libxml2.so.2) could not be loaded: " + String(cString: onions_libxml2_load_error())
    }

    private let reader: xmlTextReaderPtr
    private let document: SecretBytes

    /// A reader positioned before the first node of `document`.
    public init(_ document: SecretBytes) throws(Failure) {
        guard onions_libxml2_load() != 0 else { throw .cannotStart }
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue)
        // The mapping of a SecretBytes never moves, and `self.document` keeps it alive.
        let made = document.withUnsafeBytes { raw in
            xmlReaderForMemory(raw.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(raw.count), nil, "UTF-8", options)
        }
        guard let made else { throw .cannotStart }
        reader = made
        self.document = document
        // Errors are the caller's to name, never printed by libxml2.
        xmlTextReaderSetErrorHandler(reader, { _, _, _, _ in }, nil)
    }

    deinit { xmlFreeTextReader(reader) }

    /// Moves to the next node; false at the end of the document.
    public func read() throws(Failure) -> Bool {
        switch xmlTextReaderRead(reader) {
        case 1: return true
        case 0: return false
        default: throw .malformed
        }
    }

    /// The kind of the current node.
    public var node: Node {
        switch xmlTextReaderNodeType(reader) {
        case 1: return .element
        case 3, 4, 13, 14: return .text  // text, CDATA, whitespace, significant whitespace
        case 15: return .endElement
        default: return .other
        }
    }

    /// The current node's local name (an element's name without its prefix).
    public var localName: String {
        xmlTextReaderConstLocalName(reader).map { String(cString: $0) } ?? ""
    }

    /// Whether the current element is written `<name/>` (no end tag follows).
    public var isEmptyElement: Bool { xmlTextReaderIsEmptyElement(reader) == 1 }

    /// The value of the current element's attribute `name`, or nil when it has none.
    public func attribute(_ name: String) -> String? {
        guard xmlTextReaderMoveToAttribute(reader, name) == 1 else { return nil }
        defer { xmlTextReaderMoveToElement(reader) }
        return xmlTextReaderConstValue(reader).map { String(cString: $0) }
    }

    /// Appends the current node's value (a text node's bytes) to `out`, moving it to a bigger
    /// owner when full; false, with nothing appended, when `out` would pass `limit` bytes. A
    /// node without a value appends nothing.
    public func appendValue(to out: inout SecretBytes, limit: Int) -> Bool {
        guard let value = xmlTextReaderConstValue(reader) else { return true }
        return SecretBytes.growingAppend(UnsafeRawBufferPointer(start: value, count: strlen(value)), to: &out, limit: limit)
    }
}
