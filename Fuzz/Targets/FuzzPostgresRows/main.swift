import FuzzSupport

writeSeedsIfAsked(seeds)
runFuzzer(fuzzOneInput)
