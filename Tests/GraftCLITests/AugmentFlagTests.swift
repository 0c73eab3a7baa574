import Foundation
import GraftData
import GraftTrain
import GraftTestSupport
import XCTest

/// `--augment` and `--no-flip` (and their config keys) reach the run's settings, which the checkpoint keeps.
final class AugmentFlagTests: XCTestCase {
    func testAugmentFromTheConfigAndNoFlipFromTheCommandLineAreSavedInTheCheckpoint() throws {
        guard FileManager.default.fileExists(atPath: DataSpec.fashionMNISTDirectory) else {
            throw Prerequisite.missing("Debian's dataset-fashion-mnist is not installed")
        }
        let directory = CLI.temporaryDirectory(self)
        let config = directory.appendingPathComponent("run.yaml")
        try "augment: strong\n".write(to: config, atomically: true, encoding: .utf8)
        let run = directory.appendingPathComponent("run")
        let result = try CLI.run(["train", "--config", config.path, "--data", "fashion-mnist", "--train-limit", "20", "--val-limit", "10",
                                  "--model", "resnet18", "--from-scratch", "--image-size", "32", "--epochs", "1", "--no-flip",
                                  "--output", run.path])
        XCTAssertEqual(result.status, 0, result.errors)
        let settings = try XCTUnwrap(try LoadedCheckpoint(contentsOf: run.appendingPathComponent("checkpoints/last.safetensors")).metadata.settings)
        XCTAssertEqual(settings.augmentation, .strong)
        XCTAssertFalse(settings.flip)
    }
}
