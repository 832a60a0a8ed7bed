// zxcvbn, the password strength estimator (Debian: libzxcvbn-dev).
#ifndef ONIONS_CZXCVBN_SHIM_H
#define ONIONS_CZXCVBN_SHIM_H
#include <string.h>
#include <zxcvbn.h>

/// The estimated entropy of a NUL-terminated password in bits (log2 of the guesses); no match
/// list is asked for, so the library keeps nothing. Call `onions_scrub_stack` afterwards.
static inline __attribute__((noinline)) double onions_zxcvbn_bits(const char *password) {
    return ZxcvbnMatch(password, NULL, NULL);
}

/// Zeroes 64 KiB of stack below the caller: where `onions_zxcvbn_bits` just ran and left its
/// working copies of the password (folded to lower case and the like).
static inline __attribute__((noinline)) void onions_scrub_stack(void) {
    volatile unsigned char area[64 * 1024];
    explicit_bzero((void *)area, sizeof area);
    __asm__ __volatile__("" : : "r"(area) : "memory");
}
#endif
