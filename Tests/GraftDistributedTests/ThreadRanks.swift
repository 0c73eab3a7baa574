import Foundation
import GraftDistributed

/// Runs the ranks of one process group as threads of the test process, each with its own store connection and Gloo
/// group: rank 0 starts the store on a port the kernel picks, the others connect to it.
enum ThreadRanks {
    /// Runs `body` on every rank of a fresh group and returns each rank's outcome, indexed by rank. A rank that has
    /// not finished within `timeout` (plus slack for the rendezvous) fails the call rather than hanging the test.
    static func run<T: Sendable>(worldSize: Int, timeout: TimeInterval = 20,
                                 _ body: @escaping @Sendable (ProcessGroup) throws -> T) throws -> [Result<T, Error>] {
        let server = try RendezvousStore(host: "127.0.0.1", port: 0, isServer: true, worldSize: worldSize, timeout: timeout)
        let outcomes = Outcomes<T>(count: worldSize)
        let finished = DispatchGroup()
        for rank in 0..<worldSize {
            finished.enter()
            Thread.detachNewThread {
                defer { finished.leave() }
                outcomes.set(rank, Result {
                    let store = rank == 0 ? server : try RendezvousStore(
                        host: "127.0.0.1", port: server.port, isServer: false, worldSize: worldSize, timeout: timeout)
                    return try body(ProcessGroup(store: store, rank: rank, worldSize: worldSize, timeout: timeout))
                })
            }
        }
        guard finished.wait(timeout: .now() + 3 * timeout) == .success else {
            throw Hung(limit: 3 * timeout)
        }
        return outcomes.all()
    }

    /// A rank still running long after every timeout should have stopped it.
    struct Hung: Error, CustomStringConvertible {
        let limit: TimeInterval
        var description: String { "a rank was still running after \(Int(limit)) s, beyond every timeout it had" }
    }

    /// Like `run`, but every rank must succeed; returns their values indexed by rank.
    static func values<T: Sendable>(worldSize: Int, timeout: TimeInterval = 20,
                                    _ body: @escaping @Sendable (ProcessGroup) throws -> T) throws -> [T] {
        try run(worldSize: worldSize, timeout: timeout, body).map { try $0.get() }
    }
}

/// One slot per rank, written by the rank's thread.
private final class Outcomes<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Result<T, Error>?]

    init(count: Int) { results = Array(repeating: nil, count: count) }

    func set(_ rank: Int, _ result: Result<T, Error>) {
        lock.withLock { results[rank] = result }
    }

    func all() -> [Result<T, Error>] {
        lock.withLock { results.map { $0! } }
    }
}
