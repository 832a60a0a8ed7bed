// Opening a C library when it is first needed, rather than when the program starts: the
// functions the program uses are declared under their own names as small inline functions
// that open the library with dlopen on first use and call through the address dlsym gives.
// A shim that uses this renames the library header's own declarations of those functions out
// of the way (#define NAME onions_declared_NAME before the #include, #undef after), so only
// its types and constants are used. Callers check `LIB_load()` before their first call; a
// function that is not found in an opened library ends the program.
#ifndef ONIONS_LAZY_LOAD_H
#define ONIONS_LAZY_LOAD_H

#include <dlfcn.h>
#include <stdlib.h>

/// Defines `lib_open()` (the handle, opening it the first time: several threads may race to
/// open it, which does no harm since dlopen counts its users; NULL when it cannot be opened),
/// `lib_load()` (1 when opened), `lib_load_error()` (why not, empty when it is) and
/// `lib_symbol(name)`.
#define ONIONS_LAZY_LIBRARY(lib, soname) \
    static inline void *lib##_open(void) { \
        static void *handle; \
        void *opened = __atomic_load_n(&handle, __ATOMIC_ACQUIRE); \
        if (!opened) { \
            opened = dlopen(soname, RTLD_NOW | RTLD_LOCAL); \
            if (opened) __atomic_store_n(&handle, opened, __ATOMIC_RELEASE); \
        } \
        return opened; \
    } \
    static inline int lib##_load(void) { return lib##_open() != NULL; } \
    static inline const char *lib##_load_error(void) { \
        if (lib##_open()) return ""; \
        const char *why = dlerror(); \
        return why ? why : soname " could not be opened"; \
    } \
    static inline void *lib##_symbol(const char *name) { \
        void *library = lib##_open(); \
        void *address = library ? dlsym(library, name) : NULL; \
        if (!address) abort(); \
        return address; \
    }

/// `type name params`, calling the library's function of that name with `args`.
#define ONIONS_LAZY_CALL(lib, type, name, params, args) \
    static inline type name params { \
        static type (*function) params; \
        type (*found) params = __atomic_load_n(&function, __ATOMIC_ACQUIRE); \
        if (!found) { \
            found = (type (*) params) lib##_symbol(#name); \
            __atomic_store_n(&function, found, __ATOMIC_RELEASE); \
        } \
        return found args; \
    }

/// As ONIONS_LAZY_CALL for a function that returns nothing.
#define ONIONS_LAZY_VOID(lib, name, params, args) \
    static inline void name params { \
        static void (*function) params; \
        void (*found) params = __atomic_load_n(&function, __ATOMIC_ACQUIRE); \
        if (!found) { \
            found = (void (*) params) lib##_symbol(#name); \
            __atomic_store_n(&function, found, __ATOMIC_RELEASE); \
        } \
        found args; \
    }

#endif
