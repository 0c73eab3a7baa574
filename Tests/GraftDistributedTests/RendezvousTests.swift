import GraftDistributed
import GraftTestSupport
import XCTest

/// torchrun's variables are read as PyTorch's env:// rendezvous reads them, and every missing or invalid one is named
/// before any networking.
final class RendezvousTests: XCTestCase {
    let torchrun = ["MASTER_ADDR": "10.1.2.3", "MASTER_PORT": "29500", "RANK": "5", "WORLD_SIZE": "8",
                    "LOCAL_RANK": "1", "LOCAL_WORLD_SIZE": "4"]

    func testReadsTorchrunsVariables() throws {
        let rendezvous = try Rendezvous.fromEnvironment(torchrun)
        XCTAssertEqual(rendezvous, try Rendezvous(masterAddress: "10.1.2.3", masterPort: 29500, rank: 5, worldSize: 8,
                                                  localRank: 1, localWorldSize: 4))
    }

    func testWithoutLocalVariablesEachNodeRunsOneProcess() throws {
        var environment = torchrun
        environment["LOCAL_RANK"] = nil
        environment["LOCAL_WORLD_SIZE"] = nil
        let rendezvous = try Rendezvous.fromEnvironment(environment)
        XCTAssertEqual([rendezvous.localRank, rendezvous.localWorldSize], [0, 1])
    }

    func testMissingAndInvalidVariablesAreNamed() {
        let cases: [(change: [String: String?], name: String, fragment: String)] = [
            (["MASTER_ADDR": nil], "MASTER_ADDR", "not set"),
            (["MASTER_PORT": ""], "MASTER_PORT", "not set"),
            (["RANK": "two"], "RANK", "whole number; got 'two'"),
            (["RANK": "8"], "RANK", "8 is outside 0..<8"),
            (["RANK": "-1"], "RANK", "-1 is outside 0..<8"),
            (["WORLD_SIZE": "0"], "WORLD_SIZE", "at least 1"),
            (["MASTER_PORT": "70000"], "MASTER_PORT", "1-65535"),
            (["LOCAL_RANK": "4"], "LOCAL_RANK", "4 is outside 0..<4"),
            (["LOCAL_WORLD_SIZE": "9"], "LOCAL_WORLD_SIZE", "must be 1-8"),
            (["LOCAL_WORLD_SIZE": nil], "LOCAL_WORLD_SIZE", "set both or neither"),
        ]
        for (change, name, fragment) in cases {
            var environment = torchrun
            for (key, value) in change { environment[key] = value }
            XCTAssertThrowsError(try Rendezvous.fromEnvironment(environment), "\(change)") { error in
                guard case .invalidSetting(let named, _)? = error as? DistributedError else {
                    return XCTFail("\(change): \(error)")
                }
                XCTAssertEqual(named, name, "\(change)")
                XCTAssertTrue("\(error)".hasPrefix("\(name): ") && "\(error)".contains(fragment), "\(change): \(error)")
            }
        }
    }

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
