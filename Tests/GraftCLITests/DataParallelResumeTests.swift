import Foundation
import GraftTestSupport
import GraftTrain
import XCTest

/// A data-parallel run resumed with another number of processes: its checkpoints hold the whole model and optimizer,
/// not a rank's share, so one epoch with two processes continued for a second with one process ends where two epochs
/// with either number of processes from the start end.
final class DataParallelResumeTests: XCTestCase {
    override func setUpWithError() throws {
        guard FileManager.default.fileExists(atPath: DataSpec.fashionMNISTDirectory) else {
            throw Prerequisite.missing("Debian's dataset-fashion-mnist is not installed")
        }
    }

    func testTwoProcessesResumedWithOneEqualTwoOrOneFromTheStart() throws {
        let root = CLI.temporaryDirectory(self)
        // --strategy full: the phase plan (all groups from epoch 0) does not depend on the epoch count, so a run planned
        // for one epoch and extended to two trains as one planned for two (a progressive plan keeps its one-epoch shape).
        func arguments(epochs: Int, output: String) -> [String] {
            DistributedRuns.arguments(epochs: epochs) + ["--strategy", "full", "--output", root.appendingPathComponent(output).path]
        }
        let twoProcesses = ["--nproc-per-node", "2", "--master-port", "0"]
        for (name, result) in [("one process", try CLI.run(arguments(epochs: 2, output: "one"))),
                               ("two processes", try CLI.run(arguments(epochs: 2, output: "two") + twoProcesses)),
                               ("first epoch with two processes", try CLI.run(arguments(epochs: 1, output: "switched") + twoProcesses))] {
            XCTAssertEqual(result.status, 0, "\(name): \(result.errors)")
        }
        let switched = root.appendingPathComponent("switched")
        XCTAssertEqual(DistributedRuns.completedEpochs(switched), 1)
        let resumed = try CLI.run(["train", "--resume", switched.path, "--epochs", "2"])
        XCTAssertEqual(resumed.status, 0, resumed.errors)
        XCTAssertTrue(resumed.output.contains("resumed after epoch 1 of 2"), resumed.output)
        XCTAssertEqual(DistributedRuns.completedEpochs(switched), 2)

        let againstOne = try DistributedRuns.maxWeightDifference(switched, root.appendingPathComponent("one"))
        let againstTwo = try DistributedRuns.maxWeightDifference(switched, root.appendingPathComponent("two"))
        XCTAssertLessThan(againstOne, 1e-5, "2 processes then 1 against 1 process from the start")
        XCTAssertLessThan(againstTwo, 1e-5, "2 processes then 1 against 2 processes from the start")
        print("2 processes for epoch 1, resumed with 1 for epoch 2: max |weight − 1 process's| = \(againstOne), − 2 processes' = \(againstTwo)")
    }
}
