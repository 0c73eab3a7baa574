import Foundation
import GraftReport
import GraftTrain
import GraftTestSupport
import XCTest

/// Ctrl-C and SIGTERM stop `graft train` at a batch boundary with every file whole, say how to resume, and exit
/// 130 / 143; the resumed run ends where the uninterrupted one does.
final class SignalStopTests: XCTestCase {
    override func setUpWithError() throws {
        guard FileManager.default.fileExists(atPath: DataSpec.fashionMNISTDirectory) else {
            throw Prerequisite.missing("Debian's dataset-fashion-mnist is not installed")
        }
    }

    /// Starts a run, waits until its first epoch is checkpointed, sends `signal` and returns the exit status and
    /// standard error.
    func interrupt(_ run: URL, with signalNumber: Int32) throws -> (status: Int32, errors: String) {
        let errors = Pipe()
        let process = try CLI.start(TrainResumeExportTests.trainArguments(epochs: 3) + ["--output", run.path], for: self, errors: errors)
        let last = run.appendingPathComponent("checkpoints/last.safetensors")
        let deadline = Date().addingTimeInterval(300)
        while !FileManager.default.fileExists(atPath: last.path) && process.isRunning && Date() < deadline { usleep(20_000) }
        XCTAssertTrue(process.isRunning, "the run ended before it could be interrupted")
        kill(process.processIdentifier, signalNumber)
        let stopDeadline = Date().addingTimeInterval(120)
        while process.isRunning && Date() < stopDeadline { usleep(20_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            XCTFail("the run did not stop within 120 s of the signal")
        }
        process.waitUntilExit()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: run.appendingPathComponent("checkpoints").path)
            .filter { $0.hasPrefix(".") }
        XCTAssertEqual(leftovers, [], "no temporary files are left behind")
        XCTAssertNoThrow(try LoadedCheckpoint(contentsOf: last), "the last checkpoint is whole")
        return (process.terminationStatus, text)
    }

    func testCtrlCStopsCleanlyAndTheRunResumesToTheSameResult() throws {
        let root = CLI.temporaryDirectory(self)
        let reference = root.appendingPathComponent("reference"), stopped = root.appendingPathComponent("stopped")
        XCTAssertEqual(try CLI.run(TrainResumeExportTests.trainArguments(epochs: 3) + ["--output", reference.path]).status, 0)

        let (status, errors) = try interrupt(stopped, with: SIGINT)
        XCTAssertEqual(status, 130, errors)
        XCTAssertTrue(errors.contains("stopped by SIGINT at a batch boundary"), errors)
        XCTAssertTrue(errors.contains("graft train --resume \(stopped.path)"), errors)

        let resumed = try CLI.run(["train", "--resume", stopped.path])
        XCTAssertEqual(resumed.status, 0, resumed.errors)
        let a = try RunHistory(jsonData: Data(contentsOf: reference.appendingPathComponent("history.json"))).epochs
        let b = try RunHistory(jsonData: Data(contentsOf: stopped.appendingPathComponent("history.json"))).epochs
        XCTAssertEqual(b.count, 3)
        XCTAssertEqual(a.last?.validationAccuracy, b.last?.validationAccuracy)
        XCTAssertEqual(try XCTUnwrap(a.last?.trainLoss), try XCTUnwrap(b.last?.trainLoss), accuracy: 1e-5)
    }

    func testSIGTERMStopsWithStatus143() throws {
        let (status, errors) = try interrupt(CLI.temporaryDirectory(self).appendingPathComponent("run"), with: SIGTERM)
        XCTAssertEqual(status, 143, errors)
        XCTAssertTrue(errors.contains("stopped by SIGTERM"), errors)
    }
}
