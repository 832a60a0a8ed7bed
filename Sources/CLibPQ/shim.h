// libpq, the PostgreSQL client library (Debian: libpq-dev, at run time libpq5), opened when
// first needed (CLazyLoad/lazy_load.h) rather than linked: it brings GnuTLS, Kerberos and LDAP,
// whose start-up work cost every process about 4 ms of CPU, though most commands never reach a
// server. PostgresConnection checks `onions_libpq_load()` before its first call.
#ifndef ONIONS_CLIBPQ_SHIM_H
#define ONIONS_CLIBPQ_SHIM_H

#include "../CLazyLoad/lazy_load.h"

// The header's own declarations of the functions used are renamed out of the way.

#define PQstatus onions_declared_PQstatus
#define PQfreemem onions_declared_PQfreemem
#define PQsocket onions_declared_PQsocket
#define PQresultStatus onions_declared_PQresultStatus
#define PQgetlength onions_declared_PQgetlength
#define PQfinish onions_declared_PQfinish
#define PQescapeIdentifier onions_declared_PQescapeIdentifier
#define PQconninfoParse onions_declared_PQconninfoParse
#define PQconninfoFree onions_declared_PQconninfoFree
#define PQclear onions_declared_PQclear
#define PQtransactionStatus onions_declared_PQtransactionStatus
#define PQsetSingleRowMode onions_declared_PQsetSingleRowMode
#define PQsetNoticeProcessor onions_declared_PQsetNoticeProcessor
#define PQsendQueryParams onions_declared_PQsendQueryParams
#define PQresultErrorField onions_declared_PQresultErrorField
#define PQreset onions_declared_PQreset
#define PQport onions_declared_PQport
#define PQntuples onions_declared_PQntuples
#define PQnotifies onions_declared_PQnotifies
#define PQnfields onions_declared_PQnfields
#define PQhost onions_declared_PQhost
#define PQgetvalue onions_declared_PQgetvalue
#define PQgetisnull onions_declared_PQgetisnull
#define PQgetResult onions_declared_PQgetResult
#define PQexec onions_declared_PQexec
#define PQerrorMessage onions_declared_PQerrorMessage
#define PQconsumeInput onions_declared_PQconsumeInput
#define PQconnectdbParams onions_declared_PQconnectdbParams
#define PQbackendPID onions_declared_PQbackendPID
#define PQmakeEmptyPGresult onions_declared_PQmakeEmptyPGresult
#define PQsetResultAttrs onions_declared_PQsetResultAttrs
#define PQsetvalue onions_declared_PQsetvalue
#include <postgresql/libpq-fe.h>
#undef PQstatus
#undef PQfreemem
#undef PQsocket
#undef PQresultStatus
#undef PQgetlength
#undef PQfinish
#undef PQescapeIdentifier
#undef PQconninfoParse
#undef PQconninfoFree
#undef PQclear
#undef PQtransactionStatus
#undef PQsetSingleRowMode
#undef PQsetNoticeProcessor
#undef PQsendQueryParams
#undef PQresultErrorField
#undef PQreset
#undef PQport
#undef PQntuples
#undef PQnotifies
#undef PQnfields
#undef PQhost
#undef PQgetvalue
#undef PQgetisnull
#undef PQgetResult
#undef PQexec
#undef PQerrorMessage
#undef PQconsumeInput
#undef PQconnectdbParams
#undef PQbackendPID
#undef PQmakeEmptyPGresult
#undef PQsetResultAttrs
#undef PQsetvalue

ONIONS_LAZY_LIBRARY(onions_libpq, "libpq.so.5")

ONIONS_LAZY_CALL(onions_libpq, ConnStatusType, PQstatus, (const PGconn *conn), (conn))
ONIONS_LAZY_VOID(onions_libpq, PQfreemem, (void *ptr), (ptr))
ONIONS_LAZY_CALL(onions_libpq, int, PQsocket, (const PGconn *conn), (conn))
ONIONS_LAZY_CALL(onions_libpq, ExecStatusType, PQresultStatus, (const PGresult *res), (res))
ONIONS_LAZY_CALL(onions_libpq, int, PQgetlength, (const PGresult *res, int row, int field), (res, row, field))
ONIONS_LAZY_VOID(onions_libpq, PQfinish, (PGconn *conn), (conn))
ONIONS_LAZY_CALL(onions_libpq, char *, PQescapeIdentifier, (PGconn *conn, const char *str, size_t len), (conn, str, len))
ONIONS_LAZY_CALL(onions_libpq, PQconninfoOption *, PQconninfoParse, (const char *conninfo, char **errmsg), (conninfo, errmsg))
ONIONS_LAZY_VOID(onions_libpq, PQconninfoFree, (PQconninfoOption *options), (options))
ONIONS_LAZY_VOID(onions_libpq, PQclear, (PGresult *res), (res))
ONIONS_LAZY_CALL(onions_libpq, PGTransactionStatusType, PQtransactionStatus, (const PGconn *conn), (conn))
ONIONS_LAZY_CALL(onions_libpq, int, PQsetSingleRowMode, (PGconn *conn), (conn))
ONIONS_LAZY_CALL(onions_libpq, PQnoticeProcessor, PQsetNoticeProcessor, (PGconn *conn, PQnoticeProcessor proc, void *arg),
               (conn, proc, arg))
ONIONS_LAZY_CALL(onions_libpq, int, PQsendQueryParams,
               (PGconn *conn, const char *command, int nParams, const Oid *paramTypes,
                const char *const *paramValues, const int *paramLengths, const int *paramFormats, int resultFormat),
               (conn, command, nParams, paramTypes, paramValues, paramLengths, paramFormats, resultFormat))
ONIONS_LAZY_CALL(onions_libpq, char *, PQresultErrorField, (const PGresult *res, int fieldcode), (res, fieldcode))
ONIONS_LAZY_VOID(onions_libpq, PQreset, (PGconn *conn), (conn))
ONIONS_LAZY_CALL(onions_libpq, char *, PQport, (const PGconn *conn), (conn))
ONIONS_LAZY_CALL(onions_libpq, int, PQntuples, (const PGresult *res), (res))
ONIONS_LAZY_CALL(onions_libpq, PGnotify *, PQnotifies, (PGconn *conn), (conn))
ONIONS_LAZY_CALL(onions_libpq, int, PQnfields, (const PGresult *res), (res))
ONIONS_LAZY_CALL(onions_libpq, char *, PQhost, (const PGconn *conn), (conn))
ONIONS_LAZY_CALL(onions_libpq, char *, PQgetvalue, (const PGresult *res, int row, int field), (res, row, field))
ONIONS_LAZY_CALL(onions_libpq, int, PQgetisnull, (const PGresult *res, int row, int field), (res, row, field))
ONIONS_LAZY_CALL(onions_libpq, PGresult *, PQgetResult, (PGconn *conn), (conn))
ONIONS_LAZY_CALL(onions_libpq, PGresult *, PQexec, (PGconn *conn, const char *query), (conn, query))
ONIONS_LAZY_CALL(onions_libpq, char *, PQerrorMessage, (const PGconn *conn), (conn))
ONIONS_LAZY_CALL(onions_libpq, int, PQconsumeInput, (PGconn *conn), (conn))
ONIONS_LAZY_CALL(onions_libpq, PGconn *, PQconnectdbParams,
               (const char *const *keywords, const char *const *values, int expand_dbname),
               (keywords, values, expand_dbname))
ONIONS_LAZY_CALL(onions_libpq, int, PQbackendPID, (const PGconn *conn), (conn))
// Results made without a server (the row reader's tests).
ONIONS_LAZY_CALL(onions_libpq, PGresult *, PQmakeEmptyPGresult, (PGconn *conn, ExecStatusType status), (conn, status))
ONIONS_LAZY_CALL(onions_libpq, int, PQsetResultAttrs, (PGresult *res, int count, PGresAttDesc *descriptions),
                 (res, count, descriptions))
ONIONS_LAZY_CALL(onions_libpq, int, PQsetvalue, (PGresult *res, int row, int field, char *value, int length),
                 (res, row, field, value, length))

#endif
