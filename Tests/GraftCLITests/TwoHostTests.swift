import Foundation
import GraftTestSupport
import GraftTrain
import XCTest

/// `graft train --nnodes 2` across two hosts — two network namespaces joined by a veth pair, each running one node
/// with one worker and Gloo bound to its veth (GLOO_SOCKET_IFNAME) — trains to the weights of one process.
final class TwoHostTests: XCTestCase {
    override func setUpWithError() throws {
        guard FileManager.default.fileExists(atPath: DataSpec.fashionMNISTDirectory) else {
            throw Prerequisite.missing("Debian's dataset-fashion-mnist is not installed")
        }
    }

    func testTwoNodesInNetworkNamespacesTrainLikeOneProcess() throws {
        let hosts = try NetworkNamespacePair(for: self)
        let root = CLI.temporaryDirectory(self)
        let arguments = DistributedRuns.arguments(epochs: 2)
        let single = try CLI.run(arguments + ["--output", root.appendingPathComponent("one").path])
        XCTAssertEqual(single.status, 0, single.errors)

        // Every port is free in a new namespace; a kernel-picked one keeps to the rule all the same.
        let port = try LoopbackPort.free()
        let graft = try CLI.executable()
        let results = try DistributedRuns.concurrently((0..<2).map { node in {
            try hosts.run(on: node, graft, arguments + ["--output", root.appendingPathComponent("node\(node)").path,
                                                       "--nnodes", "2", "--node-rank", "\(node)", "--nproc-per-node", "1",
                                                       "--master-addr", hosts.addresses[0], "--master-port", "\(port)", "--dist-timeout", "60"],
                          environment: ["GLOO_SOCKET_IFNAME": hosts.interfaces[node]], timeLimit: 180)
        } })
        for (node, result) in results.enumerated() { XCTAssertEqual(result.status, 0, "node \(node): \(result.errors)") }
        XCTAssertTrue(results[1].output.contains("[rank 1] data-parallel training: 2 processes"), results[1].output)
        XCTAssertFalse(FileManager.default.fileExists(atPath: DistributedRuns.lastCheckpoint(root.appendingPathComponent("node1")).path),
                       "node 1 writes no checkpoints")
        let worst = try DistributedRuns.maxWeightDifference(root.appendingPathComponent("node0"), root.appendingPathComponent("one"))
        XCTAssertLessThan(worst, 1e-5, "two hosts' weights against one process's")
        print("graft train --nnodes 2 across two network namespaces: max |weight − one process's| = \(worst)")
    }
}
