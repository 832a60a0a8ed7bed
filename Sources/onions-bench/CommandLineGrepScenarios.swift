import Glibc
import OnionsCrypto

/// One-shot full-text searches from the shell over the same 1,000 notes of 2,500 characters,
/// for a word in about 1% of them (`SampleText.rareWord`): a fresh `onions grep` process with
/// and without a running agent, and the peers people script the same way, doing the same work:
/// `jrnl -contains WORD --format short` (an encrypted journal; titles, as `onions grep` prints)
/// and `pass grep -i WORD` (one gpg file per note).
///
/// Each run starts the program in a new session (no terminal: nothing can be asked) and times
/// it from spawn to exit; a run that does not exit 0 fails the scenario. The onions vault is a
/// copy of the bench vault re-keyed with the default scrypt cost, as a person's vault is.
extension Scenario {
    static let grepWord = SampleText.rareWord

    /// `cli-grep-1000`: `onions --no-agent --password-file F grep WORD` (a full scrypt each run).
    static var cliGrep1000: Scenario {
        Scenario(name: "cli-grep-1000", runs: 7, quickRuns: 2) { fixtures in
            let vault = try CommandLineVault(fixtures, name: "cli-grep")
            return Trial(run: {
                try Clock.time {
                    try Spawn.run(vault.onions(["--password-file", vault.passwordFile, "--no-agent", "grep", grepWord]),
                                  environment: vault.environment)
                }
            }, finish: vault.remove)
        }
    }

    /// `cli-grep-1000-agent`: `onions grep WORD` without a password, `onions agent` running.
    static var cliGrep1000Agent: Scenario {
        Scenario(name: "cli-grep-1000-agent", runs: 21, quickRuns: 5) { fixtures in
            let vault = try CommandLineVault(fixtures, name: "cli-grep-agent")
            let agent = try vault.startAgent()
            return Trial(run: {
                try Clock.time {
                    try Spawn.run(vault.onions(["grep", grepWord]), environment: vault.environment)
                }
            }, finish: {
                kill(agent, SIGTERM)
                _ = try? Spawn.wait(agent)
                vault.remove()
            })
        }
    }

    /// `cli-floor-agent`: `onions list` on an empty vault, `onions agent` running: the client
    /// started, connected to the agent and answered with nothing, the floor of an agent command
    /// (compared with `start-floor-swift`).
    static var cliFloorAgent: Scenario {
        Scenario(name: "cli-floor-agent", runs: 21, quickRuns: 5) { fixtures in
            try agentScenario(fixtures, vault: CommandLineVault(fixtures, name: "cli-floor-agent", onions: 0)) { vault in
                { try Spawn.run(vault.onions(["list"]), environment: vault.environment) }
            }
        }
    }

    /// `cli-show-10000-agent`: `onions show TITLE` of one onion of 10,000, `onions agent` running.
    static var cliShow10000Agent: Scenario {
        Scenario(name: "cli-show-10000-agent", runs: 21, quickRuns: 5) { fixtures in
            try agentScenario(fixtures, vault: CommandLineVault(fixtures, name: "cli-show-agent", onions: 10_000,
                                                                infoLength: 300)) { vault in
                let titles = try Spawn.output(vault.onions(["list"]), environment: vault.environment,
                                              scratch: vault.folder + "/titles")
                    .split(separator: "\n").map(String.init)
                guard titles.count == 10_000 else { throw BenchFailure("the agent listed \(titles.count) onions, not 10000") }
                let title = titles[titles.count / 2]
                return { try Spawn.run(vault.onions(["show", "--", title]), environment: vault.environment) }
            }
        }
    }

    /// A scenario timing `command` (made once the agent runs) with the agent of `vault` running.
    static func agentScenario(_ fixtures: Fixtures, vault: CommandLineVault,
                              _ command: (CommandLineVault) throws -> () throws -> Void) throws -> Trial {
        let agent = try vault.startAgent()
        let run: () throws -> Void
        do { run = try command(vault) } catch {
            kill(agent, SIGTERM)
            _ = try? Spawn.wait(agent)
            throw error
        }
        return Trial(run: { try Clock.time { try run() } }, finish: {
            kill(agent, SIGTERM)
            _ = try? Spawn.wait(agent)
            vault.remove()
        })
    }

    /// `jrnl-contains-1000`: `jrnl -contains WORD --format short` on an encrypted journal of the
    /// same notes, the password on standard input.
    static var jrnlContains1000: Scenario {
        Scenario(name: "jrnl-contains-1000", runs: 7, quickRuns: 2) { fixtures in
            let peers = try PeerFolder(fixtures, name: "jrnl")
            let venv = getenv("ONIONS_PEER_VENV").map { String(cString: $0) } ?? ".build/peer-venv"
            let python = venv + "/bin/python3", jrnl = venv + "/bin/jrnl"
            guard access(jrnl, X_OK) == 0 else {
                throw BenchFailure("no jrnl at \(jrnl) (run 'make peer-venv', or set ONIONS_PEER_VENV)")
            }
            let plain = peers.folder + "/journal.txt", sealed = peers.folder + "/journal.enc"
            try PeerNotes.write(PeerNotes(onions: 1_000, infoLength: 2_500).journal, to: plain)
            try PeerNotes.write(VaultFixture.passwordText + "\n", to: peers.folder + "/password")
            try Spawn.run([python, "-c", jrnlEncrypt, plain, sealed, VaultFixture.passwordText],
                          environment: peers.environment)
            unlink(plain)
            try mkdirs(peers.folder + "/config/jrnl")
            try PeerNotes.write("""
                colors: {body: none, date: none, tags: none, title: none}
                default_hour: 9
                default_minute: 0
                editor: ''
                encrypt: true
                highlight: false
                indent_character: '|'
                journals:
                  default: {journal: \(sealed), encrypt: true}
                linewrap: 79
                tagsymbols: '#@'
                template: false
                timeformat: '%Y-%m-%d %H:%M'
                version: v4.6

                """, to: peers.folder + "/config/jrnl/jrnl.yaml")
            return Trial(run: {
                try Clock.time {
                    try Spawn.run([jrnl, "-contains", grepWord, "--format", "short"], environment: peers.environment,
                                  stdin: peers.folder + "/password")
                }
            }, finish: peers.remove)
        }
    }

    /// `pass-grep-1000`: `pass grep -i WORD` over one gpg file per note (a throwaway key
    /// without a passphrase, so gpg-agent asks nothing).
    static var passGrep1000: Scenario {
        Scenario(name: "pass-grep-1000", runs: 3, quickRuns: 1) { fixtures in
            let peers = try PeerFolder(fixtures, name: "pass")
            guard access("/usr/bin/pass", X_OK) == 0, access("/usr/bin/gpg", X_OK) == 0 else {
                throw BenchFailure("no pass or gpg (the Debian packages pass and gnupg; 'make test-deps')")
            }
            let key = "onions-bench@example.invalid"
            try Spawn.run(["/usr/bin/gpg", "--batch", "--pinentry-mode", "loopback", "--passphrase", "",
                           "--quick-gen-key", "onions bench <\(key)>", "default", "default", "never"],
                          environment: peers.environment)
            try Spawn.run(["/usr/bin/pass", "init", key], environment: peers.environment)
            let store = peers.folder + "/password-store"
            var files: [String] = []
            for (i, note) in PeerNotes(onions: 1_000, infoLength: 2_500).notes.enumerated() {
                let file = store + "/note-\(i)"
                try PeerNotes.write(note.title + "\n" + note.info + "\n", to: file)
                files.append(file)
            }
            try Spawn.run(["/usr/bin/gpg", "--batch", "--yes", "--trust-model", "always", "--recipient", key,
                           "--multifile", "--encrypt"] + files, environment: peers.environment)
            for file in files { unlink(file) }
            return Trial(run: {
                try Clock.time {
                    try Spawn.run(["/usr/bin/pass", "grep", "-i", grepWord], environment: peers.environment)
                }
            }, finish: {
                _ = try? Spawn.run(["/usr/bin/gpgconf", "--kill", "gpg-agent"], environment: peers.environment)
                peers.remove()
            })
        }
    }

    /// Seals a plain journal as jrnl does (its own v3 encryption): argv journal, output, password.
    private static let jrnlEncrypt = """
        import sys
        from jrnl.encryption.Jrnlv3Encryption import Jrnlv3Encryption
        plain, sealed, password = sys.argv[1:4]
        sealer = Jrnlv3Encryption("default", {"encrypt": True, "journal": sealed})
        sealer.password = password
        with open(plain, encoding="utf-8") as f, open(sealed, "wb") as out:
            out.write(sealer.encrypt(f.read()))
        """
}

/// A private folder for one peer, and the environment that keeps the peer's files in it.
struct PeerFolder {
    let folder: String
    var environment: [String] {
        Spawn.environment(["HOME": folder, "XDG_CONFIG_HOME": folder + "/config", "XDG_DATA_HOME": folder + "/data",
                           "GNUPGHOME": folder + "/gnupg", "PASSWORD_STORE_DIR": folder + "/password-store"])
    }

    init(_ fixtures: Fixtures, name: String) throws {
        folder = fixtures.scratch + "/peer-" + name
        try mkdirs(folder)
        try mkdirs(folder + "/gnupg")
    }

    func remove() { removeTree(folder) }
}

/// A copy of the 1,000-onion bench vault for the `onions` processes, with the default scrypt
/// cost, its own state, config and runtime folders, and its password in a file.
struct CommandLineVault {
    let folder: String
    let onionsPath: String
    var store: String { folder + "/vault/onions.db" }
    var passwordFile: String { folder + "/password" }
    var environment: [String] {
        Spawn.environment(["HOME": folder, "XDG_STATE_HOME": folder + "/state", "XDG_CONFIG_HOME": folder + "/config",
                           "XDG_DATA_HOME": folder + "/data", "XDG_RUNTIME_DIR": folder + "/run"])
    }

    init(_ fixtures: Fixtures, name: String, onions count: Int = 1_000, infoLength: Int = 2_500) throws {
        let fixture = try fixtures.vault(onions: count, infoLength: infoLength)
        onionsPath = try Scenario.siblingExecutable("onions")
        folder = fixtures.scratch + "/" + name
        try mkdirs(folder)
        try copyTree(from: fixture.folder, to: folder + "/vault")
        for sub in ["state", "config", "data", "run"] { try mkdirs(folder + "/" + sub) }
        try PeerNotes.write(VaultFixture.passwordText + "\n", to: passwordFile)
        try Spawn.run(onions(["--password-file", passwordFile, "--no-agent", "--kdf-cost", "\(ScryptParameters.default.logN)",
                              "passwd", "--new-password-file", passwordFile]), environment: environment)
    }

    /// `onions --store STORE --user bench` and `words`.
    func onions(_ words: [String]) -> [String] {
        [onionsPath, "--store", store, "--user", VaultFixture.username] + words
    }

    /// Starts `onions agent --foreground` and returns its pid once its socket is there.
    func startAgent() throws -> pid_t {
        let pid = try Spawn.start(onions(["--password-file", passwordFile, "agent", "--foreground"]),
                                  environment: environment, stderr: folder + "/agent.log")
        for _ in 0..<600 {
            if (childNames(folder + "/run/onions") ?? []).contains(where: { $0.hasSuffix(".sock") }) { return pid }
            usleep(50_000)
        }
        kill(pid, SIGKILL)
        _ = try? Spawn.wait(pid)
        throw BenchFailure("the agent did not start (see \(folder)/agent.log)")
    }

    func remove() { removeTree(folder) }
}

/// Makes a folder (0700) unless it exists, and its parents.
func mkdirs(_ path: String) throws {
    var built = ""
    for part in path.split(separator: "/") {
        built += "/" + part
        guard mkdir(built, 0o700) == 0 || errno == EEXIST else { throw BenchFailure("cannot make \(built)") }
    }
}
