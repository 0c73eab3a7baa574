import Foundation
import GraftReport
import GraftTrain
import GraftTestSupport
import XCTest

/// A YAML config file can hold any flag and custom phases; flags on the command line win.
final class ConfigFileTests: XCTestCase {
    func testConfigFlagsAndPhasesDriveTheRun() throws {
        guard FileManager.default.fileExists(atPath: DataSpec.fashionMNISTDirectory) else {
            throw Prerequisite.missing("Debian's dataset-fashion-mnist is not installed")
        }
        let directory = CLI.temporaryDirectory(self)
        let config = directory.appendingPathComponent("run.yaml")
        try """
        data: fashion-mnist
        train_limit: 60
        val-limit: 30
        model: resnet18
        from-scratch: true
        image-size: 32
        epochs: 5
        batch-size: 16
        phases:
          - {at_epoch: 0, unfreeze: [head], lr: 1.0e-3}
          - {at_epoch: 1, unfreeze: [layer4, layer3], lr: 2.0e-4}
        """.write(to: config, atomically: true, encoding: .utf8)
        let run = directory.appendingPathComponent("run")
        let result = try CLI.run(["train", "--config", config.path, "--epochs", "2", "--output", run.path])
        XCTAssertEqual(result.status, 0, result.errors)
        XCTAssertTrue(result.output.contains("training layer4 (8393728 parameters) at lr 0.0002"), result.output)
        let history = try RunHistory(jsonData: Data(contentsOf: run.appendingPathComponent("history.json")))
        XCTAssertEqual(history.epochs.map(\.phase), ["head", "head + layer4 + layer3"], "--epochs 2 on the command line wins over the file's 5")
        XCTAssertEqual(history.epochs.last?.learningRates.count, 3)
    }
}
