import Foundation
import GraftTrain
import GraftTestSupport
import XCTest

/// `--bn`, `--accumulate`, `--clip-grad-norm` and `--decay-norm-bias` (and their config keys) reach the run's settings;
/// bad values are errors naming the flag.
final class TrainingRecipeFlagTests: XCTestCase {
    private let tiny = ["train", "--data", "fashion-mnist", "--train-limit", "20", "--val-limit", "10", "--model", "resnet18",
                        "--from-scratch", "--image-size", "32", "--epochs", "1", "--batch-size", "4"]

    func testBadValuesNameTheFlag() throws {
        try expectFailure(tiny + ["--accumulate", "0"], mentioning: "--accumulate must be at least 1")
        try expectFailure(tiny + ["--accumulate=-2"], mentioning: "--accumulate must be at least 1")
        try expectFailure(tiny + ["--clip-grad-norm", "0"], mentioning: "--clip-grad-norm must be a positive number")
        try expectFailure(tiny + ["--bn", "sometimes"], mentioning: "frozen")
        let config = CLI.temporaryDirectory(self).appendingPathComponent("run.yaml")
        try "data: fashion-mnist\nmodel: resnet18\nfrom-scratch: true\naccumulate: 0\n".write(to: config, atomically: true, encoding: .utf8)
        try expectFailure(["train", "--config", config.path], mentioning: "--accumulate must be at least 1")
    }

    /// The default strategy says what it chose; `--unfreeze-depth` without `--strategy` asks for progressive unfreezing.
    func testAutoStrategyIsExplainedAndUnfreezeDepthSelectsProgressive() throws {
        guard FileManager.default.fileExists(atPath: DataSpec.fashionMNISTDirectory) else {
            throw Prerequisite.missing("Debian's dataset-fashion-mnist is not installed")
        }
        let root = CLI.temporaryDirectory(self)
        func savedStrategy(_ run: URL) throws -> FineTuneSettings.Strategy? {
            try LoadedCheckpoint(contentsOf: run.appendingPathComponent("checkpoints/last.safetensors")).metadata.settings?.strategy
        }
        let auto = try CLI.run(tiny + ["--output", root.appendingPathComponent("auto").path])
        XCTAssertEqual(auto.status, 0, auto.errors)
        XCTAssertTrue(auto.output.contains("strategy auto: full (20 images × 1 epoch × (32/224 px)² = 0 full-size image passes, at most 2000; "
                                           + "--strategy progressive trains faster)"), auto.output)
        XCTAssertEqual(try savedStrategy(root.appendingPathComponent("auto")), .full)
        let depth = try CLI.run(tiny + ["--unfreeze-depth", "1", "--output", root.appendingPathComponent("depth").path])
        XCTAssertEqual(depth.status, 0, depth.errors)
        XCTAssertFalse(depth.output.contains("strategy auto"), depth.output)
        XCTAssertEqual(try savedStrategy(root.appendingPathComponent("depth")), .progressive)
    }

    func testFlagsReachTheSavedSettings() throws {
        guard FileManager.default.fileExists(atPath: DataSpec.fashionMNISTDirectory) else {
            throw Prerequisite.missing("Debian's dataset-fashion-mnist is not installed")
        }
        let run = CLI.temporaryDirectory(self).appendingPathComponent("run")
        let result = try CLI.run(tiny + ["--strategy", "full", "--bn", "train", "--accumulate", "2", "--clip-grad-norm", "1.5",
                                         "--decay-norm-bias", "--output", run.path])
        XCTAssertEqual(result.status, 0, result.errors)
        let settings = try XCTUnwrap(LoadedCheckpoint(contentsOf: run.appendingPathComponent("checkpoints/last.safetensors")).metadata.settings)
        XCTAssertEqual(settings.batchNorm, .train)
        XCTAssertEqual(settings.accumulateBatches, 2)
        XCTAssertEqual(settings.clipGradNorm, 1.5)
        XCTAssertTrue(settings.decayNormAndBias)
        let report = try String(contentsOf: run.appendingPathComponent("report.html"), encoding: .utf8)
        XCTAssertTrue(report.contains("2 batches per step"), "the report names the recipe")
    }
}
