import Glibc

extension StandardOutput {
    /// Whether standard output is a pipe or socket whose reader has gone (`onions list | head -1`):
    /// what could not be written was not wanted, so the command ends quietly with its own status,
    /// as `grep` and `git` do. A full disk or another failure still counts as an error.
    static var readerGone: Bool {
        var status = stat()
        guard fstat(1, &status) == 0 else { return false }
        let kind = status.st_mode & S_IFMT
        guard kind == S_IFIFO || kind == S_IFSOCK else { return false }
        var poll = pollfd(fd: 1, events: Int16(POLLOUT), revents: 0)
        guard Glibc.poll(&poll, 1, 0) == 1 else { return false }
        return poll.revents & Int16(POLLERR | POLLHUP) != 0
    }
}
