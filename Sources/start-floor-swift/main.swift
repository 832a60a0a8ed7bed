// The smallest Swift program, built with the release flags of `onions` (static Swift runtime),
// which onions-bench's `start-floor-swift` starts and times to its exit: what any Swift
// command costs before it does anything, the floor of `cli-floor-agent`.
print("")
