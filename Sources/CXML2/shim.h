// libxml2's streaming reader, for the inner XML of KeePass KDBX files (Debian: libxml2, and
// libxml2-dev to build), opened when first needed (CLazyLoad/lazy_load.h) rather than linked:
// it brings ICU, whose start-up work every process paid though only a KDBX import needs it.
// XMLStreamReader checks `onions_libxml2_load()` before its first call.
//
// The few types and constants used are declared here as libxml2 2.x defines them (its
// headers need their own include path and pull in ICU's, whose UErrorCode clashes with the
// one Foundation carries in the test runner).
#ifndef ONIONS_CXML2_SHIM_H
#define ONIONS_CXML2_SHIM_H
#include "../CLazyLoad/lazy_load.h"

typedef unsigned char xmlChar;
typedef struct _xmlTextReader *xmlTextReaderPtr;
/// The reader's error callback: (arg, message, severity, locator).
typedef void (*xmlTextReaderErrorFunc)(void *arg, const char *msg, int severity, void *locator);

/// The parser options used (libxml2's xmlParserOption values).
typedef enum {
    XML_PARSE_NONET = 1 << 11,    // no network access
    XML_PARSE_NOCDATA = 1 << 14,  // CDATA sections as text
} xmlParserOption;

ONIONS_LAZY_LIBRARY(onions_libxml2, "libxml2.so.2")

ONIONS_LAZY_CALL(onions_libxml2, xmlTextReaderPtr, xmlReaderForMemory,
                 (const char *buffer, int size, const char *URL, const char *encoding, int options),
                 (buffer, size, URL, encoding, options))
ONIONS_LAZY_VOID(onions_libxml2, xmlTextReaderSetErrorHandler,
                 (xmlTextReaderPtr reader, xmlTextReaderErrorFunc f, void *arg), (reader, f, arg))
ONIONS_LAZY_VOID(onions_libxml2, xmlFreeTextReader, (xmlTextReaderPtr reader), (reader))
ONIONS_LAZY_CALL(onions_libxml2, int, xmlTextReaderRead, (xmlTextReaderPtr reader), (reader))
ONIONS_LAZY_CALL(onions_libxml2, int, xmlTextReaderNodeType, (xmlTextReaderPtr reader), (reader))
ONIONS_LAZY_CALL(onions_libxml2, const xmlChar *, xmlTextReaderConstLocalName, (xmlTextReaderPtr reader), (reader))
ONIONS_LAZY_CALL(onions_libxml2, int, xmlTextReaderIsEmptyElement, (xmlTextReaderPtr reader), (reader))
ONIONS_LAZY_CALL(onions_libxml2, int, xmlTextReaderMoveToAttribute, (xmlTextReaderPtr reader, const xmlChar *name),
                 (reader, name))
ONIONS_LAZY_CALL(onions_libxml2, int, xmlTextReaderMoveToElement, (xmlTextReaderPtr reader), (reader))
ONIONS_LAZY_CALL(onions_libxml2, const xmlChar *, xmlTextReaderConstValue, (xmlTextReaderPtr reader), (reader))
#endif
