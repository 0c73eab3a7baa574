import Foundation
import GraftTestSupport
import GraftTrain
import XCTest

/// `graft launch` and `graft train --nproc-per-node` start real worker processes through the built binary: their
/// lines come back prefixed with their rank, a failed worker ends the launch with its status and rank, SIGTERM to the
/// launcher leaves no worker behind (training workers stop at a batch boundary), and bad launch flags or a
/// contradicting torchrun environment are named errors.
final class LaunchCLITests: XCTestCase {
    /// Longest one launch in these tests may take; the workers that would run longer sleep 60 s.
    let timeLimit: TimeInterval = 60

    func launch(_ script: String, workers: Int = 2, environment: [String: String] = [:]) throws -> Subprocess.Result {
        try Subprocess.run(CLI.executable(), arguments: ["launch", "--nproc-per-node", "\(workers)", "--master-port", "0",
                                                         "--grace-period", "5", "--", "/bin/sh", "-c", script],
                           environment: environment, timeLimit: timeLimit)
    }

    /// The process id written to `file`, waiting until it is there (at most the time limit).
    func processID(in file: URL) throws -> pid_t {
        try XCTUnwrap(ProcessProbe.processID(in: file, within: timeLimit), "no process id appeared in \(file.path)")
    }

    func testEveryWorkersLinesArePrefixedWithItsRank() throws {
        let result = try launch(#"echo "rank $RANK of $WORLD_SIZE, local $LOCAL_RANK of $LOCAL_WORLD_SIZE, store $MASTER_ADDR"; echo oops >&2"#)
        XCTAssertEqual(result.status, 0, result.errors)
        let lines = Set(result.output.split(separator: "\n").map(String.init))
        XCTAssertEqual(lines, ["[rank 0] rank 0 of 2, local 0 of 2, store 127.0.0.1", "[rank 1] rank 1 of 2, local 1 of 2, store 127.0.0.1"])
        XCTAssertEqual(Set(result.errors.split(separator: "\n").map(String.init)), ["[rank 0] oops", "[rank 1] oops"])
    }

    func testAFailedWorkerStopsTheOtherAndEndsTheLaunchWithItsStatus() throws {
        let directory = CLI.temporaryDirectory(self)
        let rank0 = directory.appendingPathComponent("rank0.pid")
        let script = """
            if [ "$RANK" = 0 ]; then echo $$ > "\(rank0.path)"; exec sleep 60; fi
            while [ ! -s "\(rank0.path)" ]; do sleep 0.05; done
            echo "cannot reach the data" >&2; exit 3
            """
        let result = try launch(script)
        XCTAssertEqual(result.status, 3, result.errors)
        XCTAssertTrue(result.errors.contains("[rank 1] cannot reach the data"), result.errors)
        XCTAssertTrue(result.errors.contains("worker rank 1 exited with status 3; the other workers were stopped"), result.errors)
        let worker = try processID(in: rank0)
        XCTAssertTrue(ProcessProbe.hasEnded(worker), "rank 0 (pid \(worker)) was stopped")
    }

    func testSIGTERMToTheLauncherEndsEveryWorker() throws {
        let directory = CLI.temporaryDirectory(self)
        let errors = Pipe()
        let launcher = try CLI.start(["launch", "--nproc-per-node", "2", "--master-port", "0", "--", "/bin/sh", "-c",
                                      #"echo $$ > "\#(directory.path)/$RANK.pid"; exec sleep 60"#], for: self, errors: errors)
        let workers = try (0..<2).map { try processID(in: directory.appendingPathComponent("\($0).pid")) }
        XCTAssertTrue(workers.allSatisfy { kill($0, 0) == 0 }, "both workers run before the signal")
        kill(launcher.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(timeLimit)
        while launcher.isRunning && Date() < deadline { usleep(20_000) }
        XCTAssertFalse(launcher.isRunning, "the launcher ended within \(Int(timeLimit)) s of SIGTERM")
        launcher.waitUntilExit()
        XCTAssertEqual(launcher.terminationStatus, 128 + SIGTERM)
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertTrue(message.contains("stopped by SIGTERM: passed on to the workers, which have all ended"), message)
        for pid in workers { XCTAssertTrue(ProcessProbe.hasEnded(pid), "worker \(pid) is gone") }
    }

    func testSIGTERMStopsTrainingWorkersAtABatchBoundary() throws {
        guard FileManager.default.fileExists(atPath: DataSpec.fashionMNISTDirectory) else {
            throw Prerequisite.missing("Debian's dataset-fashion-mnist is not installed")
        }
        let run = CLI.temporaryDirectory(self).appendingPathComponent("run")
        let errors = Pipe()
        let launcher = try CLI.start(TrainResumeExportTests.trainArguments(epochs: 3)
                                     + ["--output", run.path, "--nproc-per-node", "2", "--master-port", "0"], for: self, errors: errors)
        // The workers are training once the first epoch's checkpoint is written.
        let last = run.appendingPathComponent("checkpoints/last.safetensors")
        let deadline = Date().addingTimeInterval(CLI.timeLimit)
        while !FileManager.default.fileExists(atPath: last.path) && launcher.isRunning && Date() < deadline { usleep(20_000) }
        let workers = ProcessProbe.children(of: launcher.processIdentifier)
        XCTAssertEqual(workers.count, 2, "two workers train")
        kill(launcher.processIdentifier, SIGTERM)
        launcher.waitUntilExit()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertEqual(launcher.terminationStatus, 128 + SIGTERM, message)
        for rank in 0..<2 { XCTAssertTrue(message.contains("[rank \(rank)] stopped by SIGTERM at a batch boundary"), message) }
        for pid in workers { XCTAssertTrue(ProcessProbe.hasEnded(pid), "worker \(pid) is gone") }
        XCTAssertNoThrow(try LoadedCheckpoint(contentsOf: last), "the last checkpoint is whole")
    }

    func testLaunchErrors() throws {
        try expectFailure(["launch", "--nproc-per-node", "2"], mentioning: "give the program to launch after --")
        try expectFailure(["launch", "--nproc-per-node", "2", "--", "/nonexistent/program"], mentioning: "'/nonexistent/program' is not an executable file")
        try expectFailure(["launch", "--nproc-per-node", "0", "--", "/bin/true"], mentioning: "--nproc-per-node must be at least 1 (got 0)")
        let nested = try Subprocess.run(CLI.executable(), arguments: ["launch", "--", "/bin/true"],
                                        environment: ["RANK": "0", "WORLD_SIZE": "1", "MASTER_ADDR": "127.0.0.1", "MASTER_PORT": "29500"],
                                        timeLimit: timeLimit)
        XCTAssertNotEqual(nested.status, 0)
        XCTAssertTrue(nested.errors.contains("already a worker of a distributed run (rank 0 of 1"), nested.errors)
    }

    func testBadLaunchFlagsOfTrainAreNamed() throws {
        let train = ["train", "--data", "/nonexistent/photos"]
        try expectFailure(train + ["--nproc-per-node", "0"], mentioning: "--nproc-per-node must be at least 1 (got 0)")
        try expectFailure(train + ["--nnodes", "2", "--node-rank", "2", "--master-addr", "10.0.0.1"],
                          mentioning: "--node-rank must be in 0 ..< --nnodes = 2 (got 2)")
        try expectFailure(train + ["--nnodes", "2", "--node-rank", "1"], mentioning: "--master-addr is required with --nnodes = 2")
        try expectFailure(train + ["--nnodes", "2", "--master-addr", "localhost"], mentioning: "--master-addr localhost is a loopback address")
        try expectFailure(train + ["--nproc-per-node", "2", "--master-port", "70000"], mentioning: "--master-port must be a TCP port")
        try expectFailure(train + ["--nnodes", "2", "--master-addr", "10.0.0.1", "--master-port", "0"], mentioning: "--master-port 0 (pick a free port) works on one node only")
        let config = CLI.temporaryDirectory(self).appendingPathComponent("run.yaml")
        try "data: /nonexistent/photos\nnproc_per_node: 0\n".write(to: config, atomically: true, encoding: .utf8)
        try expectFailure(["train", "--config", config.path], mentioning: "--nproc-per-node must be at least 1 (got 0)")
        let twoWorkers = CLI.temporaryDirectory(self).appendingPathComponent("two.yaml")
        try "data: /nonexistent/photos\nnproc-per-node: 2\n".write(to: twoWorkers, atomically: true, encoding: .utf8)
        try expectFailure(["lr-find", "--config", twoWorkers.path], mentioning: "lr-find runs in one process")
    }

    func testTrainUnderAContradictingTorchrunEnvironmentSaysSo() throws {
        let torchrun = ["RANK": "1", "WORLD_SIZE": "2", "LOCAL_RANK": "1", "LOCAL_WORLD_SIZE": "2", "MASTER_ADDR": "127.0.0.1", "MASTER_PORT": "29500"]
        let conflicting = try Subprocess.run(CLI.executable(), arguments: ["train", "--data", "/nonexistent/photos", "--nproc-per-node", "4"],
                                             environment: torchrun, timeLimit: timeLimit)
        XCTAssertNotEqual(conflicting.status, 0)
        XCTAssertTrue(conflicting.errors.contains("--nproc-per-node 4 conflicts with the environment, where LOCAL_WORLD_SIZE=2"), conflicting.errors)
        let broken = try Subprocess.run(CLI.executable(), arguments: ["train", "--data", "/nonexistent/photos"],
                                        environment: torchrun.merging(["RANK": "2"]) { $1 }, timeLimit: timeLimit)
        XCTAssertNotEqual(broken.status, 0)
        XCTAssertTrue(broken.errors.contains("environment variable RANK must be in 0 ..< WORLD_SIZE = 2 (got 2)"), broken.errors)
    }

    func testTrainLaunchesWorkersThatRunTheSameCommand() throws {
        // Each worker is `graft train` itself and fails on the missing data, so the launch ends with a worker's status.
        let result = try Subprocess.run(CLI.executable(), arguments: ["train", "--data", "/nonexistent/photos", "--nproc-per-node", "2",
                                                                      "--master-port", "0"], timeLimit: timeLimit)
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.output.contains("launching 2 workers (ranks 0…1 of 2), store at 127.0.0.1:"), result.output)
        XCTAssertTrue(result.errors.contains(#/\[rank [01]\] Error: .*/nonexistent/photos/#), result.errors)
        XCTAssertTrue(result.errors.contains(#/worker rank [01] exited with status [1-9]/#), result.errors)
        XCTAssertFalse(result.errors.contains("Fatal error"), result.errors)
    }
}
