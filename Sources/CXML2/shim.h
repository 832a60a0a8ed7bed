// libxml2's streaming reader, for the inner XML of KeePass KDBX files (Debian: libxml2-dev).
#ifndef ONIONS_CXML2_SHIM_H
#define ONIONS_CXML2_SHIM_H
#include <libxml/xmlversion.h>
// Debian's libxml2 is built with ICU, and its encoding header then pulls in the system's ICU
// headers, whose UErrorCode clashes with the one Foundation carries: a module that sees both
// (the test runner) does not compile. The reader is used only through pointers, never the
// encoding handler's ICU fields, so the ICU part of the headers is left out.
#undef LIBXML_ICU_ENABLED
#include <libxml/xmlreader.h>
#include <libxml/parser.h>
#endif
