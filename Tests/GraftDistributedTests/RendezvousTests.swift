import GraftDistributed
import GraftTestSupport
import XCTest

/// Every invalid rendezvous value is named before any networking (reading torchrun's variables is tested with
/// `DistributedEnvironment` in GraftTrainTests).
final class RendezvousTests: XCTestCase {
    /// A rank outside the group is refused as a setting: the group never starts a store or opens a socket for it.
    func testRankBeyondTheWorldSizeFailsBeforeAnyNetworking() throws {
        let port = try LoopbackPort.free()
        for (rank, worldSize, name) in [(2, 2, "rank"), (-1, 2, "rank"), (0, 0, "worldSize")] {
            XCTAssertThrowsError(try ProcessGroup(masterAddress: "127.0.0.1", masterPort: port, rank: rank,
                                                  worldSize: worldSize, timeout: 60)) { error in
                guard case .invalidSetting(let named, _)? = error as? DistributedError else { return XCTFail("\(error)") }
                XCTAssertEqual(named, name, "\(error)")
            }
        }
        XCTAssertThrowsError(try ProcessGroup(masterAddress: "127.0.0.1", masterPort: 0, rank: 1, worldSize: 2, timeout: 60)) {
            XCTAssertEqual(($0 as? DistributedError).map { "\($0)" }, "masterPort: must be 1-65535; got 0")
        }
    }
}
