import Foundation
import GraftTestSupport
import GraftTrain
import XCTest

/// Debian's torchrun (PyTorch 1.13) starts two workers that save their environments; Graft reads each as the worker
/// torchrun meant: its ranks, the sizes, the store's address and that torchrun's agent hosts the store.
final class TorchrunEnvironmentTests: XCTestCase {
    func testGraftReadsTheEnvironmentTorchrunGivesItsWorkers() throws {
        try ReferencePython.require(modules: ["torch.distributed.run"])
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("graft-torchrun-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let port = try DistributedLaunch(processesPerNode: 2, masterPort: 0).plan().masterPort
        // --redirects 1 --tee 1: torchrun 1.13's default "0" does not parse under Python 3.11 (Std.NONE is no longer iterated).
        let run = try ReferencePython.run([
            "-m", "torch.distributed.run", "--nnodes", "1", "--nproc_per_node", "2", "--master_addr", "127.0.0.1",
            "--master_port", "\(port)", "--redirects", "1", "--tee", "1", "--log_dir", directory.appendingPathComponent("logs").path,
            "--no_python", "/bin/sh", "-c", #"env > "\#(directory.path)/$RANK.env""#,
        ])
        XCTAssertEqual(run.status, 0, run.errors)
        for rank in 0..<2 {
            let text = try String(contentsOf: directory.appendingPathComponent("\(rank).env"), encoding: .utf8)
            var environment: [String: String] = [:]
            for line in text.split(separator: "\n") {
                let pair = line.split(separator: "=", maxSplits: 1)
                if pair.count == 2 { environment[String(pair[0])] = String(pair[1]) }
            }
            let worker = try XCTUnwrap(DistributedEnvironment.fromEnvironment(environment), "rank \(rank) is a worker")
            XCTAssertEqual(worker, DistributedEnvironment(masterAddress: "127.0.0.1", masterPort: port, rank: rank, worldSize: 2, localRank: rank,
                                                          localWorldSize: 2, nodeRank: 0, storeHost: .agent(restartCount: 0)))
            XCTAssertEqual(worker.storeHost.keyPrefix, "/worker/attempt_0")
            XCTAssertEqual(try DistributedLaunch(processesPerNode: 2, nodeCount: 1, masterPort: port).role(environment: environment), .worker(worker),
                           "graft train --nproc-per-node 2 under torchrun's two workers agrees with them")
        }
    }
}
