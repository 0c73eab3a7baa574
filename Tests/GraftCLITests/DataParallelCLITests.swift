import Foundation
import GraftTensor
import GraftTestSupport
import GraftTrain
import XCTest

/// `graft train --nproc-per-node 2`: two worker processes training together over c10d/Gloo end with the weights of
/// one process trained with the same flags (BatchNorm statistics frozen, as per-rank batch statistics would differ),
/// print the same validation figures, and rank 0 alone writes the run directory.
final class DataParallelCLITests: XCTestCase {
    override func setUpWithError() throws {
        guard FileManager.default.fileExists(atPath: DataSpec.fashionMNISTDirectory) else {
            throw Prerequisite.missing("Debian's dataset-fashion-mnist is not installed")
        }
    }

    func testTwoProcessesTrainLikeOne() throws {
        let root = CLI.temporaryDirectory(self)
        let arguments = DistributedRuns.arguments(epochs: 2)
        let single = try CLI.run(arguments + ["--output", root.appendingPathComponent("one").path])
        XCTAssertEqual(single.status, 0, single.errors)
        let parallel = try CLI.run(arguments + ["--output", root.appendingPathComponent("two").path, "--nproc-per-node", "2",
                                                "--master-port", "0"])
        XCTAssertEqual(parallel.status, 0, parallel.errors)
        XCTAssertTrue(parallel.output.contains("[rank 1] data-parallel training: 2 processes, 8 samples each of every batch of 16"),
                      parallel.output)
        XCTAssertFalse(parallel.output.contains("[rank 1] epoch"), "rank 1 shows no progress")
        let eventFiles = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("two/tensorboard").path)
        XCTAssertEqual(eventFiles.filter { $0.contains("tfevents") }.count, 1, "rank 0 alone writes TensorBoard events")

        let worst = try DistributedRuns.maxWeightDifference(root.appendingPathComponent("two"), root.appendingPathComponent("one"))
        XCTAssertLessThan(worst, 1e-5, "two processes' weights against one process's")
        print("graft train --nproc-per-node 2: max |weight − one process's| = \(worst)")
        // The epoch summaries (validation accuracy included) are the same; only timings differ.
        func summaries(_ output: String, prefix: String) -> [String] {
            output.split(separator: "\n").filter { $0.hasPrefix(prefix + "epoch ") && $0.contains("] train loss") }
                .map { String($0.dropFirst(prefix.count).split(separator: "|").prefix(2).joined(separator: "|")) }
        }
        XCTAssertEqual(summaries(parallel.output, prefix: "[rank 0] "), summaries(single.output, prefix: ""))
        XCTAssertEqual(summaries(single.output, prefix: "").count, 2)
    }

    func testABatchThatDoesNotDivideIsRefused() throws {
        let run = CLI.temporaryDirectory(self).appendingPathComponent("run")
        let arguments = TrainResumeExportTests.trainArguments(epochs: 1).map { $0 == "16" ? "15" : $0 }
        let result = try CLI.run(arguments + ["--output", run.path, "--nproc-per-node", "2", "--master-port", "0"])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.errors.contains("--batch-size 15 is the batch of all 2 processes together"), result.errors)
    }
}
