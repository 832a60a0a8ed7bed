import Foundation
import XCTest

/// Another Unix account cannot use the agent: the folder keeps it from the socket, and when
/// the folder and socket are opened by mistake the agent still refuses it by its credentials.
final class AgentOtherUserTests: XCTestCase {
    /// Connects to the socket in argv[1] and asks the agent to run `list` (and then to lock)
    /// with its own descriptors, the way `onions` does; prints what happened.
    static let client = """
    import array, os, socket, sys
    for kind in (b"r", b"l"):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            s.connect(sys.argv[1])
        except OSError as e:
            print("connect failed: errno", e.errno)
            sys.exit(0)
        fds = array.array("i", [0, 1, 2, os.open("/", os.O_RDONLY)])
        try:
            s.sendmsg([b"onions-agent-1" + kind + (b"list\\0" if kind == b"r" else b"")],
                      [(socket.SOL_SOCKET, socket.SCM_RIGHTS, fds)])
            answer = s.recv(16)
        except ConnectionError:  # closed unread
            answer = b""
        print("answer:", answer.hex() or "none")
    """

    func testAnotherUserCannotTalkToTheAgent() throws {
        let name = "onag" + String(UInt32.random(in: 0...UInt32.max), radix: 16)
        let added = try Harness.run("/usr/sbin/useradd", ["--system", "--no-create-home", "--shell", "/usr/sbin/nologin",
                                                          "--user-group", name])
        XCTAssertEqual(added.status, 0, "useradd: \(added.stderrText)")
        addTeardownBlock { _ = try? Harness.run("/usr/sbin/userdel", [name]) }

        let a = try AgentVault(for: self, onions: AgentTests.notes)
        try a.startAgent()
        let socket = try a.socketPath()
        func asOtherUser() throws -> ProcessResult {
            try Harness.run("/usr/bin/setpriv", ["--reuid=\(name)", "--regid=\(name)", "--clear-groups",
                                                 "/usr/bin/python3", "-c", Self.client, socket])
        }

        // As made: the private folders keep the other user from the socket.
        let blocked = try asOtherUser()
        XCTAssertEqual(blocked.status, 0, blocked.stderrText)
        XCTAssertEqual(blocked.stdoutText, "connect failed: errno \(EACCES)\n")

        // Opened by mistake: the agent refuses the connection by its peer credentials, runs
        // nothing, prints nothing, and does not lock for it.
        for folder in [a.vault.folder, a.runtime, a.socketFolder] {
            XCTAssertEqual(chmod(folder.path, 0o711), 0)
        }
        XCTAssertEqual(chmod(socket, 0o666), 0)
        let refused = try asOtherUser()
        XCTAssertEqual(refused.status, 0, refused.stderrText)
        XCTAssertEqual(refused.stdoutText, "answer: none\nanswer: none\n",
                       "the agent answers another user nothing and shows it nothing")
        XCTAssertTrue(a.log.contains("refused a connection from another user"), a.log)
        XCTAssertFalse(a.log.contains("locked"), "another user cannot lock the agent: \(a.log)")

        XCTAssertEqual(chmod(a.socketFolder.path, 0o700), 0)
        let mine = try a.command(["list"])
        XCTAssertEqual(mine.status, 0, mine.stderrText)
        XCTAssertEqual(mine.stdoutText, "Bank\nGarden\n")
    }
}
