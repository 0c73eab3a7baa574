import Foundation
import GraftTestSupport

/// A python3-torch 1.13 process that joins a group as one rank through `torch.distributed.init_process_group("gloo",
/// init_method="env://")`: the real engine's rendezvous, which Graft must speak.
final class TorchPeer: @unchecked Sendable {
    /// The peer's script. `collectives` mirrors ``CollectiveTests/contribution(rank:)`` and the calls the Graft rank makes
    /// (one flattened float32 allreduce, then float64, then int64; flattened broadcasts from each root; a barrier; an
    /// all-gather) and prints what it ends up holding as JSON; `join` joins and then waits to be killed.
    static let script = """
    import datetime, json, os, sys, time, torch, torch.distributed as dist
    mode = sys.argv[1]
    dist.init_process_group("gloo", init_method="env://", timeout=datetime.timedelta(seconds=float(sys.argv[2])))
    rank, world = dist.get_rank(), dist.get_world_size()
    if mode == "join":
        time.sleep(600)
    def contribution(r):
        return [torch.arange(6, dtype=torch.float32).reshape(2, 3) * (r + 1) + 0.25,
                torch.arange(4, dtype=torch.float64) + (r + 1) * 2.0 ** -40,
                torch.arange(5, dtype=torch.int64) * 1000 + r,
                torch.arange(3, dtype=torch.float32) - r]
    def broadcast_flat(tensors, root):  # DDP's _broadcast_coalesced: one flattened buffer
        flat = torch.cat([t.flatten() for t in tensors])
        dist.broadcast(flat, root)
        offset = 0
        for t in tensors:
            t.copy_(flat[offset:offset + t.numel()].view_as(t))
            offset += t.numel()
    sums = contribution(rank)
    dist.all_reduce_coalesced([sums[0], sums[3]])
    dist.all_reduce(sums[1])
    dist.all_reduce(sums[2])
    received = []
    for root in range(world):
        tensors = contribution(rank)
        broadcast_flat([tensors[0], tensors[3]], root)
        dist.broadcast(tensors[1], root)
        dist.broadcast(tensors[2], root)
        received.append([t.double().flatten().tolist() for t in tensors])
    dist.barrier()
    gathered = [torch.zeros(2, dtype=torch.int64) for _ in range(world)]
    dist.all_gather(gathered, torch.tensor([rank * 10 + 1, rank * 10 + 2]))
    print(json.dumps({"sums": [t.double().flatten().tolist() for t in sums], "received": received,
                      "gathered": [g.tolist() for g in gathered]}))
    """

    /// What the `collectives` peer printed.
    struct Report: Decodable {
        let sums: [[Double]]
        let received: [[[Double]]]
        let gathered: [[Int64]]
    }

    private let finished = DispatchSemaphore(value: 0)
    private var outcome: Result<Subprocess.Result, Error>?

    /// Starts the `collectives` peer as `rank` of `worldSize`, meeting at 127.0.0.1:`port`; it runs on its own thread
    /// so that the Graft rank can run in the test's.
    init(rank: Int, worldSize: Int, port: Int, timeout: TimeInterval) {
        Thread.detachNewThread { [self] in
            outcome = Result {
                try Subprocess.run(URL(fileURLWithPath: ReferencePython.interpreter),
                                   arguments: ["-c", Self.script, "collectives", String(timeout)],
                                   environment: Self.environment(rank: rank, worldSize: worldSize, port: port),
                                   timeLimit: 4 * timeout)
            }
            finished.signal()
        }
    }

    /// Waits for the peer to end and returns its report.
    func report() throws -> Report {
        finished.wait()
        let run = try outcome!.get()
        guard run.status == 0 else { throw PeerFailed(status: run.status, errors: run.errors) }
        return try JSONDecoder().decode(Report.self, from: Data(run.output.utf8))
    }

    /// Starts the `join` peer, which joins the group and then sleeps until killed (or its time limit).
    static func startJoining(rank: Int, worldSize: Int, port: Int, timeout: TimeInterval) throws -> Process {
        try Subprocess.start(URL(fileURLWithPath: ReferencePython.interpreter), arguments: ["-c", script, "join", String(timeout)],
                             environment: environment(rank: rank, worldSize: worldSize, port: port), timeLimit: 4 * timeout)
    }

    private static func environment(rank: Int, worldSize: Int, port: Int) -> [String: String] {
        ["MASTER_ADDR": "127.0.0.1", "MASTER_PORT": String(port), "RANK": String(rank), "WORLD_SIZE": String(worldSize),
         "PYTHONPATH": ReferencePython.packages.path]
    }

    struct PeerFailed: Error, CustomStringConvertible {
        let status: Int32
        let errors: String
        var description: String { "the torch peer exited with status \(status):\n\(errors.suffix(2000))" }
    }
}
