import Foundation
import GraftTensor
import GraftTestSupport
import GraftTrain
import XCTest

/// A checkpoint holds nothing of the process count: a run trained by one process and resumed by `graft train --resume
/// --nproc-per-node 2` ends with the weights of the same run resumed by one process (BatchNorm statistics frozen, as
/// per-rank batch statistics would differ; every layer trains, so the whole model is compared).
final class DataParallelResumeTests: XCTestCase {
    override func setUpWithError() throws {
        guard FileManager.default.fileExists(atPath: DataSpec.fashionMNISTDirectory) else {
            throw Prerequisite.missing("Debian's dataset-fashion-mnist is not installed")
        }
    }

    func testResumingWithTwoProcessesContinuesAsOneProcessWould() throws {
        let root = CLI.temporaryDirectory(self)
        let alone = root.appendingPathComponent("alone"), parallel = root.appendingPathComponent("parallel")
        let first = try CLI.run(TrainResumeExportTests.trainArguments(epochs: 1) + ["--strategy", "full", "--bn", "frozen", "--output", alone.path])
        XCTAssertEqual(first.status, 0, first.errors)
        try FileManager.default.copyItem(at: alone, to: parallel)
        let single = try CLI.run(["train", "--resume", alone.path, "--epochs", "2"])
        XCTAssertEqual(single.status, 0, single.errors)
        let two = try CLI.run(["train", "--resume", parallel.path, "--epochs", "2", "--nproc-per-node", "2", "--master-port", "0"])
        XCTAssertEqual(two.status, 0, two.errors)
        XCTAssertTrue(two.output.contains("[rank 1] data-parallel training: 2 processes"), two.output)

        let expected = try LoadedCheckpoint(contentsOf: alone.appendingPathComponent("checkpoints/last.safetensors")).model()
        let actual = try LoadedCheckpoint(contentsOf: parallel.appendingPathComponent("checkpoints/last.safetensors")).model()
        let reference = Dictionary(uniqueKeysWithValues: expected.stateDict())
        var worst = 0.0
        for (name, tensor) in actual.stateDict() {
            let difference = try (tensor - XCTUnwrap(reference[name], name)).abs().max().item()
            worst = difference.isNaN ? .infinity : max(worst, difference)
        }
        XCTAssertLessThan(worst, 1e-5, "resumed by two processes against resumed by one")
        print("resumed by two processes: max |weight − resumed by one| = \(worst)")
    }
}
