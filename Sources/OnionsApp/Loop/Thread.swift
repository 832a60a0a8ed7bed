import Glibc

/// A detached POSIX thread running a closure once.
final class Thread: @unchecked Sendable {
    private let body: () -> Void

    init(_ body: @escaping () -> Void) { self.body = body }

    /// Starts the thread; false when the system would not create one (the body does not run).
    func start() -> Bool {
        let box = Unmanaged.passRetained(self).toOpaque()
        var handle = pthread_t()
        let started = pthread_create(&handle, nil, { raw in
            let thread = Unmanaged<Thread>.fromOpaque(raw!).takeRetainedValue()
            thread.body()
            return nil
        }, box)
        guard started == 0 else {
            Unmanaged<Thread>.fromOpaque(box).release()
            return false
        }
        pthread_detach(handle)
        return true
    }
}
