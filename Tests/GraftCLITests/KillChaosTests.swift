import Foundation
import GraftReport
import GraftTrain
import GraftTestSupport
import XCTest

/// `kill -9` at 20 moments of one run — 16 seeded random ones (mid-batch, mid-cache-build) and every fifth inside a
/// checkpoint write, which a test hook holds open for 300 ms — each followed by `--resume` (or a fresh start while no
/// epoch has finished):
/// the run still ends with the uninterrupted run's metrics and leaves no temporary files.
final class KillChaosTests: XCTestCase {
    func testTwentyKillsThenTheUninterruptedResult() throws {
        guard FileManager.default.fileExists(atPath: DataSpec.fashionMNISTDirectory) else {
            throw Prerequisite.missing("Debian's dataset-fashion-mnist is not installed")
        }
        let root = CLI.temporaryDirectory(self)
        let reference = root.appendingPathComponent("reference"), run = root.appendingPathComponent("run")
        let started = Date()
        XCTAssertEqual(try CLI.run(TrainResumeExportTests.trainArguments(epochs: 3) + ["--output", reference.path]).status, 0)
        let duration = Date().timeIntervalSince(started)

        var random = SeededGenerator(seed: 20261129)
        let last = run.appendingPathComponent("checkpoints/last.safetensors")
        var killedMidWrite = 0
        for kill in 1...21 {
            let arguments = FileManager.default.fileExists(atPath: last.path)
                ? ["train", "--resume", run.path] : TrainResumeExportTests.trainArguments(epochs: 3) + ["--output", run.path]
            let process = try CLI.start(arguments, for: self, environment: ["GRAFT_TEST_WRITE_PAUSE_MS": "300"])
            let checkpoints = last.deletingLastPathComponent().path
            func writing() -> Bool { ((try? FileManager.default.contentsOfDirectory(atPath: checkpoints)) ?? []).contains { $0.contains(".tmp-") } }
            if kill <= 20 {
                // Every fifth kill waits for a checkpoint write to be under way; the others strike at a seeded moment.
                let deadline = Date().addingTimeInterval(kill % 5 == 0 ? duration * 2 : Double(random.next() % 1000) / 1000 * duration)
                while process.isRunning && Date() < deadline && !(kill % 5 == 0 && writing()) { usleep(kill % 5 == 0 ? 2_000 : 10_000) }
                if process.isRunning { Glibc.kill(process.processIdentifier, SIGKILL) }
                process.waitUntilExit()
                if writing() { killedMidWrite += 1 }
            } else {
                let deadline = Date().addingTimeInterval(300)
                while process.isRunning && Date() < deadline { usleep(50_000) }
                if process.isRunning { Glibc.kill(process.processIdentifier, SIGKILL) }
                process.waitUntilExit()
                XCTAssertEqual(process.terminationStatus, 0, "the last resume completes")
            }
        }
        XCTAssertGreaterThanOrEqual(killedMidWrite, 1, "at least one kill landed inside a checkpoint write")
        let a = try RunHistory(jsonData: Data(contentsOf: reference.appendingPathComponent("history.json"))).epochs
        let b = try RunHistory(jsonData: Data(contentsOf: run.appendingPathComponent("history.json"))).epochs
        XCTAssertEqual(b.map(\.epoch), [1, 2, 3])
        XCTAssertEqual(a.last?.validationAccuracy, b.last?.validationAccuracy)
        XCTAssertEqual(try XCTUnwrap(a.last?.trainLoss), try XCTUnwrap(b.last?.trainLoss), accuracy: 1e-5)
        for directory in [run, run.appendingPathComponent("checkpoints")] {
            let temporaries = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.contains(".tmp-") }
            XCTAssertEqual(temporaries, [], "no temporary files in \(directory.lastPathComponent)")
        }
    }
}
