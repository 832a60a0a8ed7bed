extension Scenario {
    /// Every scenario, in the order they run and print.
    static var all: [Scenario] {[
        kdfDefault,
        logIn(onions: 1_000, runs: 9, quickRuns: 3),
        logIn(onions: 10_000, runs: 5, quickRuns: 2),
        saveOne,
        saveOne10000,
        filter10000,
        grep1000,
        cliGrep1000,
        cliGrep1000Agent,
        jrnlContains1000,
        passGrep1000,
        legacyLogIn1000,
        keyEditor2500,
        keyList10000,
        startFloor,
        startToLogIn,
    ] + needingServer([syncFirst(onions: 1_000, runs: 7, quickRuns: 3),
                     syncFirst(onions: 10_000, runs: 5, quickRuns: 2), syncLiveOne, syncLive3Writers,
                     syncPushAfterOffline(onions: 10_000, runs: 3, quickRuns: 1)])}
}
