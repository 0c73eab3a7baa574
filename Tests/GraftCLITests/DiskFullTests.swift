import Foundation
import GraftTestSupport
import GraftTrain
import XCTest

/// A run whose directory sits on a 100 MiB filesystem that fills up in epoch 2 (when layer4's Adam state joins the
/// `last` checkpoint) stops with a clear error and a non-zero exit, with the earlier checkpoints intact and no
/// temporary files left.
final class DiskFullTests: XCTestCase {
    /// A fresh tmpfs of `mebibytes`, unmounted after the test; a missing privilege is a visible skip (a failure under
    /// GRAFT_REQUIRE_REFERENCE=1).
    func smallFilesystem(mebibytes: Int) throws -> URL {
        let mountPoint = CLI.temporaryDirectory(self).appendingPathComponent("small")
        try FileManager.default.createDirectory(at: mountPoint, withIntermediateDirectories: true)
        let mount = try Subprocess.run(URL(fileURLWithPath: "/bin/mount"), arguments: ["-t", "tmpfs", "-o", "size=\(mebibytes)m", "tmpfs", mountPoint.path],
                                       timeLimit: 30)
        guard mount.status == 0 else {
            throw Prerequisite.missing("cannot mount a tmpfs for the disk-full test (needs root): \(mount.errors)")
        }
        addTeardownBlock { _ = try? Subprocess.run(URL(fileURLWithPath: "/bin/umount"), arguments: [mountPoint.path], timeLimit: 30) }
        return mountPoint
    }

    func testAFullDiskStopsTheRunWithItsCheckpointsIntact() throws {
        guard FileManager.default.fileExists(atPath: DataSpec.fashionMNISTDirectory) else {
            throw Prerequisite.missing("Debian's dataset-fashion-mnist is not installed")
        }
        let run = try smallFilesystem(mebibytes: 100).appendingPathComponent("run")
        let result = try CLI.run(TrainResumeExportTests.trainArguments(epochs: 3) + ["--output", run.path])
        XCTAssertNotEqual(result.status, 0, "the run cannot finish on a full disk")
        XCTAssertTrue(result.errors.contains("No space left on device"), result.errors)
        XCTAssertFalse(result.errors.contains("Fatal error"), result.errors)

        let checkpoints = run.appendingPathComponent("checkpoints")
        let names = try FileManager.default.contentsOfDirectory(atPath: checkpoints.path)
        XCTAssertEqual(names.filter { $0.contains(".tmp-") }, [], "the failed write's temporary file is removed")
        let best = try LoadedCheckpoint(contentsOf: checkpoints.appendingPathComponent("best.safetensors"))
        XCTAssertEqual(best.metadata.progress.nextEpoch, 1, "epoch 1's best checkpoint is intact")
        let resumable = try RunStore.newestResumableCheckpoint(in: run) { _ in }
        XCTAssertEqual(resumable.metadata.progress.nextEpoch, 1, "a last checkpoint of epoch 1 is still there to resume from")
    }
}
