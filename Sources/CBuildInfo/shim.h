// What the build was made from. `make` writes commit.h (scripts/build-commit.sh) with
// #define ONIONS_BUILD_COMMIT "<commit id>"; a plain `swift build` says "unknown".
#ifndef ONIONS_BUILD_INFO_H
#define ONIONS_BUILD_INFO_H

#if __has_include("commit.h")
#include "commit.h"
#endif

#ifndef ONIONS_BUILD_COMMIT
#define ONIONS_BUILD_COMMIT "unknown"
#endif

static inline const char *onions_build_commit(void) { return ONIONS_BUILD_COMMIT; }

#endif
