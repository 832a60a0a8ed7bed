// OpenSSL 3 libcrypto, as OnionsCrypto uses it (Debian: libssl-dev).
#ifndef ONIONS_COPENSSL_SHIM_H
#define ONIONS_COPENSSL_SHIM_H
// SHA-256's low-level context (SHA256_Init/Update/Final), deprecated in OpenSSL 3 but kept
// and fast (no allocation, SHA-NI where the CPU has it): HMACKey and CredentialStretching run
// thousands of one-block digests, where an EVP context's set-up costs more than the digest.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/crypto.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

// The libc calls secret memory needs that Glibc's Swift module leaves out.
#include <malloc.h>
#include <sys/prctl.h>
#include <sys/auxv.h>
static inline int onions_set_dumpable(int on) { return prctl(PR_SET_DUMPABLE, on, 0, 0, 0); }
static inline int onions_malloc_perturb(int byte) { return mallopt(M_PERTURB, byte); }
static inline int onions_is_secure_exec(void) { return getauxval(AT_SECURE) != 0; }
static inline int onions_set_process_name(const char *name) { return prctl(PR_SET_NAME, (unsigned long)name, 0, 0, 0); }

// An anonymous memory file (memfd_create(2)), for handing arguments over an exec.
#include <sys/syscall.h>
#include <unistd.h>
static inline int onions_memfd_create(const char *name) { return (int)syscall(SYS_memfd_create, name, 0); }

// Random bytes from the kernel (getrandom(2)) for the password generator.
#include <sys/random.h>
static inline long onions_getrandom(void *buffer, unsigned long count) { return (long)getrandom(buffer, count, 0); }
#endif
