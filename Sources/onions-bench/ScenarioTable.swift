extension Scenario {
    /// Every scenario, in the order they run and print.
    static var all: [Scenario] {[
        kdfDefault,
        floor(onions: 1_000, runs: 9, quickRuns: 3),
        logIn(onions: 1_000, runs: 9, quickRuns: 3),
        floor(onions: 10_000, runs: 9, quickRuns: 3),
        logIn(onions: 10_000, runs: 5, quickRuns: 2),
        saveOne,
        saveOne(atSize: 10_000, runs: 30, quickRuns: 8),
        filter(onions: 10_000, runs: 200, quickRuns: 40),
        searchRestart10000,
        searchFirst10000,
        grep1000,
        cliGrep1000,
        cliGrep1000Agent,
        cliFloorAgent,
        cliShow10000Agent,
        jrnlContains1000,
        passGrep1000,
        legacyLogIn1000,
        keyEditor2500,
        keyList10000,
        logIn(onions: 10_000, runs: 5, quickRuns: 2, versions: 10),
        keyList10000(versions: 10),
        startFloor,
        startFloorSwift,
        startToLogIn,
    ] + needingServer([syncFirst(onions: 1_000, runs: 7, quickRuns: 3),
                     syncFirst(onions: 10_000, runs: 5, quickRuns: 2), syncLiveOne, syncLive3Writers, syncJoin50x50,
                     syncPushAfterOffline(onions: 10_000, runs: 3, quickRuns: 1), serverLoad(vaults: 1_000),
                     serverRoles])}

    /// Every scenario `--only` may name.
    static var everyKnown: [Scenario] { all + large }

    /// The scenarios `--large` adds after the others: how cost grows from 1,000 to 100,000 onions
    /// (with floor-1000, login-1000 and the 10,000 ones, a table of log in, filter and save at three sizes,
    /// each over the floor of its size; the largest vault takes a few minutes to build once, keep
    /// it with `--fixtures`).
    static var large: [Scenario] {[
        filter(onions: 1_000, runs: 200, quickRuns: 40),
        saveOne(atSize: 1_000, runs: 30, quickRuns: 8),
        floor(onions: 100_000, runs: 5, quickRuns: 2),
        logIn(onions: 100_000, runs: 3, quickRuns: 1),
        filter(onions: 100_000, runs: 50, quickRuns: 10),
        saveOne(atSize: 100_000, runs: 10, quickRuns: 3),
    ] + needingServer([syncFirst(onions: 100_000, runs: 3, quickRuns: 1), serverLoad(vaults: 10_000)])}
}
