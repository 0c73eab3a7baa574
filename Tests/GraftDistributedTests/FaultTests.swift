import Foundation
import GraftDistributed
import GraftTensor
import GraftTestSupport
import XCTest

/// Network faults come back as thrown errors naming the rank, address or port, within the timeout: an unreachable
/// master, a port in use, a peer that never joins, a peer that stops answering, a peer killed mid-collective.
final class FaultTests: XCTestCase {
    func testUnreachableMasterIsAnErrorNamingTheAddress() throws {
        let port = try LoopbackPort.free()
        XCTAssertThrowsError(try ProcessGroup(masterAddress: "127.0.0.1", masterPort: port, rank: 1, worldSize: 2, timeout: 2)) { error in
            guard case .storeUnavailable(_, _, false, _)? = error as? DistributedError else { return XCTFail("\(error)") }
            XCTAssertTrue("\(error)".contains("could not reach the rendezvous store at 127.0.0.1:\(port)"), "\(error)")
        }
    }

    func testPortInUseIsAnErrorNamingThePort() throws {
        let taken = try LoopbackPort.Listener()
        defer { taken.close() }
        XCTAssertThrowsError(try ProcessGroup(masterAddress: "127.0.0.1", masterPort: taken.port, rank: 0, worldSize: 2, timeout: 2)) { error in
            guard case .storeUnavailable(_, _, true, _)? = error as? DistributedError else { return XCTFail("\(error)") }
            XCTAssertTrue("\(error)".contains("could not start the rendezvous store on 127.0.0.1:\(taken.port)"), "\(error)")
        }
    }

    func testAPeerThatNeverJoinsEndsTheRendezvousAtTheTimeout() throws {
        let store = try RendezvousStore(host: "127.0.0.1", port: 0, isServer: true, worldSize: 2, timeout: 2)
        XCTAssertThrowsError(try ProcessGroup(store: store, rank: 0, worldSize: 2, timeout: 2)) { error in
            guard case .rendezvousFailed(_, store.port, 0, 2, _)? = error as? DistributedError else { return XCTFail("\(error)") }
            XCTAssertTrue("\(error)".hasPrefix("rank 0 of 2 could not join the process group through the store at 127.0.0.1:\(store.port)"), "\(error)")
        }
    }

    /// Rank 1 joins, then stays silent (alive, connected) while rank 0 waits in an allreduce.
    func testASilentPeerEndsTheCollectiveAtTheTimeout() throws {
        let rankZeroDone = DispatchSemaphore(value: 0)
        let outcomes = try ThreadRanks.run(worldSize: 2, timeout: 3) { group -> String in
            if group.rank == 1 {
                _ = rankZeroDone.wait(timeout: .now() + 20)
                return ""
            }
            defer { rankZeroDone.signal() }
            do {
                try group.allReduceSum([try Tensor([Float(1)], shape: [1])])
                return "the allreduce returned"
            } catch { return "\(error)" }
        }
        let message = try outcomes[0].get()
        XCTAssertTrue(message.hasPrefix("allReduceSum failed on rank 0 of 2 (its only peer, rank 1, stopped answering or left)"), message)
        XCTAssertTrue(message.lowercased().contains("timed out") || message.contains("timeout"), message)
    }

    /// A torch rank joins the group and is killed while the Graft rank waits in an allreduce: the Graft rank throws,
    /// naming the lost rank, long before its 30 s timeout would.
    func testAPeerKilledMidCollectiveEndsItWithAMessage() throws {
        try ReferencePython.require(modules: ["torch.distributed"])
        let store = try RendezvousStore(host: "127.0.0.1", port: 0, isServer: true, worldSize: 2, timeout: 30)
        let peer = try TorchPeer.startJoining(rank: 1, worldSize: 2, port: store.port, timeout: 30)
        defer { if peer.isRunning { kill(peer.processIdentifier, SIGKILL) } }
        let group = try ProcessGroup(store: store, rank: 0, worldSize: 2, timeout: 30)
        let pid = peer.processIdentifier
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.5) { kill(pid, SIGKILL) }
        XCTAssertThrowsError(try group.allReduceSum([try Tensor.ones([1000])])) { error in
            guard case .collectiveFailed("allReduceSum", 0, 2, let message)? = error as? DistributedError else {
                return XCTFail("\(error)")
            }
            XCTAssertTrue("\(error)".contains("rank 1"), "\(error)")
            XCTAssertFalse(message.isEmpty)
        }
    }
}
