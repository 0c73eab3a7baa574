import Foundation
import GraftReport
import GraftTrain
import GraftTestSupport
import XCTest

/// A damaged `last` checkpoint does not strand a run: `--resume` falls back to the previous one with a warning, and
/// when none is readable it says how to recover.
final class DamagedCheckpointTests: XCTestCase {
    override func setUpWithError() throws {
        guard FileManager.default.fileExists(atPath: DataSpec.fashionMNISTDirectory) else {
            throw Prerequisite.missing("Debian's dataset-fashion-mnist is not installed")
        }
    }

    /// Cuts the file in half, as a lost write or a copy to a full disk would.
    func damage(_ url: URL) throws {
        let handle = try FileHandle(forUpdating: url)
        try handle.truncate(atOffset: try handle.seekToEnd() / 2)
        try handle.close()
    }

    func testResumeFallsBackToThePreviousCheckpointAndOtherwiseSaysHowToRecover() throws {
        let run = CLI.temporaryDirectory(self).appendingPathComponent("run")
        XCTAssertEqual(try CLI.run(TrainResumeExportTests.trainArguments(epochs: 3) + ["--output", run.path]).status, 0)
        let checkpoints = run.appendingPathComponent("checkpoints")
        let previous = try LoadedCheckpoint(contentsOf: checkpoints.appendingPathComponent("last.previous.safetensors"))
        XCTAssertEqual(previous.metadata.progress.nextEpoch, 2, "the previous last checkpoint is kept")

        try damage(checkpoints.appendingPathComponent("last.safetensors"))
        let resumed = try CLI.run(["train", "--resume", run.path, "--epochs", "4"])
        XCTAssertEqual(resumed.status, 0, resumed.errors)
        XCTAssertTrue(resumed.errors.contains("last.safetensors is unreadable"), resumed.errors)
        XCTAssertTrue(resumed.errors.contains("resuming from last.previous.safetensors (after epoch 2)"), resumed.errors)
        let history = try RunHistory(jsonData: Data(contentsOf: run.appendingPathComponent("history.json")))
        XCTAssertEqual(history.epochs.map(\.epoch), [1, 2, 3, 4])

        try damage(checkpoints.appendingPathComponent("last.safetensors"))
        try damage(checkpoints.appendingPathComponent("last.previous.safetensors"))
        let stranded = try CLI.run(["train", "--resume", run.path, "--epochs", "5"])
        XCTAssertNotEqual(stranded.status, 0)
        XCTAssertTrue(stranded.errors.contains("start a new run from the best weights"), stranded.errors)
        XCTAssertTrue(stranded.errors.contains("best.safetensors"), stranded.errors)
        XCTAssertFalse(stranded.errors.contains("Fatal error"), stranded.errors)
    }
}
