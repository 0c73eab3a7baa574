import Foundation
import GraftTestSupport
import GraftTrain
import XCTest

/// Data-parallel training when things go wrong, with real worker processes on free ports: a worker killed mid-epoch
/// ends the launch naming it, leaves whole checkpoints and the run resumes with two processes or one; a hand-started
/// worker whose peer dies, or that meets a peer with other data, another WORLD_SIZE or no store at all, stops with an
/// error naming the cause within its `--dist-timeout`, never hanging.
final class DataParallelFaultTests: XCTestCase {
    /// The group timeout the hand-started workers get: short, so a missing peer fails fast.
    static let groupTimeout = 8
    /// Time limit of one hand-started worker: loading the data and model, the timeout, and slack for a busy machine.
    static let workerTimeLimit: TimeInterval = 120

    override func setUpWithError() throws {
        guard FileManager.default.fileExists(atPath: DataSpec.fashionMNISTDirectory) else {
            throw Prerequisite.missing("Debian's dataset-fashion-mnist is not installed")
        }
    }

    func testAWorkerKilledMidEpochEndsTheLaunchAndTheRunResumes() throws {
        let root = CLI.temporaryDirectory(self)
        let run = root.appendingPathComponent("run")
        let errors = Pipe()
        let launcher = try CLI.start(DistributedRuns.arguments(epochs: 3) + ["--output", run.path, "--nproc-per-node", "2", "--master-port", "0"],
                                     for: self, errors: errors)
        XCTAssertTrue(DistributedRuns.wait(upTo: 300) { DistributedRuns.completedEpochs(run) >= 1 || !launcher.isRunning },
                      "no epoch was checkpointed")
        let workers = ProcessProbe.children(of: launcher.processIdentifier)
        let rankOne = try XCTUnwrap(workers.first { ProcessProbe.environment(of: $0)["RANK"] == "1" }, "rank 1 among \(workers)")
        XCTAssertTrue(launcher.isRunning, "the run finished before rank 1 could be killed")
        kill(rankOne, SIGKILL)

        // Rank 0 fails at its next gradient exchange, or is stopped by the launcher (SIGTERM, SIGKILL 30 s later).
        XCTAssertTrue(DistributedRuns.wait(upTo: 60) { !launcher.isRunning }, "the launch did not end after rank 1 was killed")
        launcher.waitUntilExit()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertEqual(launcher.terminationStatus, 128 + SIGKILL, "the launcher exits as its killed worker did")
        XCTAssertTrue(message.contains("worker rank 1 was killed by SIGKILL"), message)
        XCTAssertFalse(message.contains("Fatal error"), message)
        for worker in workers { XCTAssertTrue(ProcessProbe.hasEnded(worker), "worker \(worker) outlived the launch") }
        let done = DistributedRuns.completedEpochs(run)
        XCTAssertGreaterThanOrEqual(done, 1)
        XCTAssertLessThan(done, 3, "the run had finished")
        for file in ["last", "best"] {
            XCTAssertNoThrow(try LoadedCheckpoint(contentsOf: run.appendingPathComponent("checkpoints/\(file).safetensors")), file)
        }

        // The same checkpoint continues with two processes and with one, to the same weights.
        let alone = root.appendingPathComponent("alone")
        try FileManager.default.copyItem(at: run, to: alone)
        let together = try CLI.run(["train", "--resume", run.path, "--nproc-per-node", "2", "--master-port", "0"])
        XCTAssertEqual(together.status, 0, together.errors)
        XCTAssertTrue(together.output.contains("[rank 0] resumed after epoch \(done)"), together.output)
        let single = try CLI.run(["train", "--resume", alone.path])
        XCTAssertEqual(single.status, 0, single.errors)
        XCTAssertEqual(DistributedRuns.completedEpochs(run), 3)
        XCTAssertEqual(DistributedRuns.completedEpochs(alone), 3)
        let worst = try DistributedRuns.maxWeightDifference(run, alone)
        XCTAssertLessThan(worst, 1e-5, "resumed with two processes against resumed with one")
        print("resumed after a killed worker: max |weight(2 processes) − weight(1 process)| = \(worst)")
    }

    func testAHandStartedWorkerWhosePeerDiesStopsNamingIt() throws {
        let root = CLI.temporaryDirectory(self)
        let port = try LoopbackPort.free()
        let arguments = DistributedRuns.arguments(epochs: 4) + ["--dist-timeout", "\(Self.groupTimeout)"]
        let errors = Pipe()
        let rankZero = try CLI.start(arguments + ["--output", root.appendingPathComponent("zero").path], for: self,
                                     environment: DistributedRuns.environment(rank: 0, worldSize: 2, port: port), errors: errors)
        let rankOne = try CLI.start(arguments + ["--output", root.appendingPathComponent("one").path], for: self,
                                    environment: DistributedRuns.environment(rank: 1, worldSize: 2, port: port))
        XCTAssertTrue(DistributedRuns.wait(upTo: 300) { DistributedRuns.completedEpochs(root.appendingPathComponent("zero")) >= 1 || !rankZero.isRunning })
        XCTAssertTrue(rankZero.isRunning && rankOne.isRunning, "the run ended before rank 1 could be killed")
        kill(rankOne.processIdentifier, SIGKILL)

        XCTAssertTrue(DistributedRuns.wait(upTo: TimeInterval(Self.groupTimeout) + 60) { !rankZero.isRunning },
                      "rank 0 did not stop after its peer died")
        rankZero.waitUntilExit()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertNotEqual(rankZero.terminationStatus, 0)
        XCTAssertTrue(message.contains("on rank 0 of 2 (its only peer, rank 1, stopped answering or left)"), message)
        XCTAssertFalse(message.contains("Fatal error"), message)
    }

    func testWorkersWithDifferentDataBothFailNamingTheMismatch() throws {
        let root = CLI.temporaryDirectory(self)
        let port = try LoopbackPort.free()
        let arguments = DistributedRuns.arguments(epochs: 1) + ["--dist-timeout", "\(Self.groupTimeout)"]
        let results = try DistributedRuns.runTogether([
            (arguments + ["--output", root.appendingPathComponent("zero").path], DistributedRuns.environment(rank: 0, worldSize: 2, port: port)),
            (arguments + ["--output", root.appendingPathComponent("one").path, "--train-limit", "60"],
             DistributedRuns.environment(rank: 1, worldSize: 2, port: port)),
        ], timeLimit: Self.workerTimeLimit)
        for (rank, result) in results.enumerated() {
            XCTAssertNotEqual(result.status, 0, "rank \(rank)")
            XCTAssertTrue(result.errors.contains("rank 1 has other data than rank 0"), "rank \(rank): \(result.errors)")
        }
    }

    func testWorkersGivenDifferentWorldSizesBothFailNamingThem() throws {
        let root = CLI.temporaryDirectory(self)
        let port = try LoopbackPort.free()
        let arguments = DistributedRuns.arguments(epochs: 1) + ["--dist-timeout", "\(Self.groupTimeout)"]
        let results = try DistributedRuns.runTogether([
            (arguments + ["--output", root.appendingPathComponent("zero").path], DistributedRuns.environment(rank: 0, worldSize: 2, port: port)),
            (arguments + ["--output", root.appendingPathComponent("one").path], DistributedRuns.environment(rank: 1, worldSize: 4, port: port)),
        ], timeLimit: Self.workerTimeLimit)
        XCTAssertNotEqual(results[0].status, 0)
        XCTAssertTrue(results[0].errors.contains("rank 1 was started with a world size of 4 but this rank with 2"), results[0].errors)
        XCTAssertNotEqual(results[1].status, 0)
        XCTAssertTrue(results[1].errors.contains("rank 0 was started with a world size of 2 but this rank with 4"), results[1].errors)
        for result in results { XCTAssertTrue(result.errors.contains("every rank must be given the same WORLD_SIZE"), result.errors) }
    }

    func testAWorkerWhoseMasterIsUnreachableFailsWithinTheTimeout() throws {
        // A port nobody listens on: every connection attempt is refused until the timeout.
        let port = try LoopbackPort.free()
        let result = try CLI.run(DistributedRuns.arguments(epochs: 1) + ["--output", CLI.temporaryDirectory(self).path, "--dist-timeout", "3"],
                                 environment: DistributedRuns.environment(rank: 1, worldSize: 2, port: port), timeLimit: Self.workerTimeLimit)
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.errors.contains("could not reach the rendezvous store at 127.0.0.1:\(port)"), result.errors)
        XCTAssertTrue(result.errors.contains("timed out after 3s"), result.errors)
    }

    func testANonPositiveTimeoutIsRefusedNamingTheFlag() throws {
        try expectFailure(DistributedRuns.arguments(epochs: 1) + ["--nproc-per-node", "2", "--dist-timeout", "0"], mentioning: "--dist-timeout must be a positive number of seconds (got 0.0)")
    }
}
