// The reference Argon2 library, for KeePass KDBX 4 key derivation (Debian: libargon2-dev).
#ifndef ONIONS_CARGON2_SHIM_H
#define ONIONS_CARGON2_SHIM_H
#include <argon2.h>
#endif
