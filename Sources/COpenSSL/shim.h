// OpenSSL 3 libcrypto, as OnionsCrypto uses it (Debian: libssl-dev).
#ifndef ONIONS_COPENSSL_SHIM_H
#define ONIONS_COPENSSL_SHIM_H
#include <openssl/crypto.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#endif
