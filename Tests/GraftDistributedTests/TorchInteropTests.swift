import GraftDistributed
import GraftTensor
import GraftTestSupport
import XCTest

/// One Graft rank and one PyTorch 1.13 rank (`init_process_group("gloo", init_method="env://")`) form one group, with
/// either of them running the store: allreduce, broadcast both ways, barrier and all-gather give both the exact
/// values. Proof that Graft speaks the real engine's rendezvous and wire protocol.
final class TorchInteropTests: XCTestCase {
    let timeout: TimeInterval = 30

    override func setUp() async throws {
        try ReferencePython.require(modules: ["torch.distributed"])
    }

    func testGraftRankZeroRunsTheStoreForATorchRank() throws {
        let store = try RendezvousStore(host: "127.0.0.1", port: 0, isServer: true, worldSize: 2, timeout: timeout)
        let peer = TorchPeer(rank: 1, worldSize: 2, port: store.port, timeout: timeout)
        let group = try ProcessGroup(store: store, rank: 0, worldSize: 2, timeout: timeout)
        try check(graft: try Self.collectives(group), torch: try peer.report())
    }

    func testGraftJoinsATorchRankZerosStore() throws {
        let port = try LoopbackPort.free()
        let peer = TorchPeer(rank: 0, worldSize: 2, port: port, timeout: timeout)
        let group = try ProcessGroup(masterAddress: "127.0.0.1", masterPort: port, rank: 1, worldSize: 2, timeout: timeout)
        try check(graft: try Self.collectives(group), torch: try peer.report())
    }

    /// The Graft rank's side of TorchPeer's `collectives` script, returning the same report.
    static func collectives(_ group: ProcessGroup) throws -> TorchPeer.Report {
        func values(_ tensors: [Tensor]) throws -> [[Double]] { try tensors.map { try $0.to(.float64).scalars(as: Double.self) } }
        let sums = try CollectiveTests.contribution(rank: group.rank)
        try group.allReduceSum(sums)
        let received = try (0..<group.worldSize).map { root in
            let tensors = try CollectiveTests.contribution(rank: group.rank)
            try group.broadcast(tensors, from: root)
            return try values(tensors)
        }
        try group.barrier()
        let gathered = try group.allGather(try Tensor([Int64(group.rank) * 10 + 1, Int64(group.rank) * 10 + 2], shape: [2]))
        return TorchPeer.Report(sums: try values(sums), received: received, gathered: try gathered.map { try $0.scalars(as: Int64.self) })
    }

    /// Both ranks hold the exact sums (computed here from both contributions), each root's values, and every rank's
    /// gathered pair.
    func check(graft: TorchPeer.Report, torch: TorchPeer.Report) throws {
        let contributions = try (0..<2).map { rank in
            try CollectiveTests.contribution(rank: rank).map { try $0.to(.float64).scalars(as: Double.self) }
        }
        // Every contribution is exact in float32 (quarters, small integers) or float64, so the float64 sum is exact.
        let sums = contributions[0].indices.map { index in zip(contributions[0][index], contributions[1][index]).map { $0 + $1 } }
        for (name, report) in [("graft", graft), ("torch", torch)] {
            XCTAssertEqual(report.sums, sums, "\(name) allreduce")
            XCTAssertEqual(report.received, contributions, "\(name) broadcasts")
            XCTAssertEqual(report.gathered, [[1, 2], [11, 12]], "\(name) all-gather")
        }
    }
}
