// zlib, for the gzip-compressed payload of KeePass KDBX files (Debian: zlib1g-dev).
#ifndef ONIONS_CZLIB_SHIM_H
#define ONIONS_CZLIB_SHIM_H
#include <zlib.h>
#endif
