// libxml2's streaming reader, for the inner XML of KeePass KDBX files (Debian: libxml2-dev).
#ifndef ONIONS_CXML2_SHIM_H
#define ONIONS_CXML2_SHIM_H
#include <libxml/xmlreader.h>
#include <libxml/parser.h>
#endif
