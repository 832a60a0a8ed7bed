// SQLite 3 (Debian: libsqlite3-dev).
#ifndef ONIONS_CSQLITE_SHIM_H
#define ONIONS_CSQLITE_SHIM_H
#include <sqlite3.h>
#endif
