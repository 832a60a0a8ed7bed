// libpq, the PostgreSQL client library (Debian: libpq-dev).
#ifndef ONIONS_CLIBPQ_SHIM_H
#define ONIONS_CLIBPQ_SHIM_H
#include <libpq-fe.h>
#endif
