import Glibc

/// Runs `body(0)` ... `body(count - 1)` each on a thread of its own and waits for all of them.
/// What `body` shares between threads must guard itself (`Locked`).
func onThreads(_ count: Int, _ body: @escaping (Int) -> Void) {
    final class Job: @unchecked Sendable {
        let body: (Int) -> Void
        let index: Int
        init(_ body: @escaping (Int) -> Void, _ index: Int) { self.body = body; self.index = index }
    }
    var threads: [pthread_t] = []
    for index in 0..<count {
        let job = Unmanaged.passRetained(Job(body, index)).toOpaque()
        var thread = pthread_t()
        let started = pthread_create(&thread, nil, { raw in
            let job = Unmanaged<Job>.fromOpaque(raw!).takeRetainedValue()
            job.body(job.index)
            return nil
        }, job)
        if started == 0 {
            threads.append(thread)
        } else {
            Unmanaged<Job>.fromOpaque(job).release()
            body(index)
        }
    }
    for thread in threads { pthread_join(thread, nil) }
}

/// A value several threads share, behind a mutex.
final class Locked<Value>: @unchecked Sendable {
    private var value: Value
    private var mutex = pthread_mutex_t()

    init(_ value: Value) {
        self.value = value
        pthread_mutex_init(&mutex, nil)
    }

    deinit { pthread_mutex_destroy(&mutex) }

    func with<R>(_ body: (inout Value) -> R) -> R {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return body(&value)
    }
}
