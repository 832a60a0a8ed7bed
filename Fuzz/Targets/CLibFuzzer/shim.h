// libFuzzer's driver, from the runtime that -sanitize=fuzzer links in. A fuzz target's own
// main calls it, because SwiftPM gives every executable a main of its own.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*test)(const uint8_t *data, size_t size));
