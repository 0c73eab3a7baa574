import Foundation
import Graft
import GraftTestSupport
import XCTest

/// Runs the built `seed-tutorial` with exactly the tutorial's command line on real PNG files, then opens its best
/// checkpoint in python3-torch: `torch.load` gives the tutorial's dict, and the reference EfficientNet-Lite0 and
/// `torch.optim.Adam` with the same groups accept its state dicts and take a step.
final class SeedTutorialTests: XCTestCase {
    /// Measured on the 2-core development machine: 0.8280 (seeded; 0.7740 after epoch 1, 0.8260 after epoch 2). The
    /// issue's bar is 80%; 0.80 fails when training, the weights or the preprocessing break.
    static let minimumAccuracy = 0.80

    func testTheTutorialReachesTheBarAndItsCheckpointOpensInPyTorch() throws {
        let program = try PackagePaths.builtProgram("seed-tutorial")
        try OfflineWeights.require("efficientnet_lite0")
        try ReferencePython.require(modules: ["torch"])
        let weights = try XCTUnwrap(OfflineAsset.weights(for: "efficientnet_lite0")).location
        let directory = try PackagePaths.temporaryDirectory(for: self, prefix: "graft-seed-tutorial")
        let data = try FashionMNISTFolder.write(to: directory, trainPerClass: 200, validationPerClass: 50)
        let checkpoint = directory.appendingPathComponent("best.pth")

        let run = try Subprocess.run(program, arguments: [
            "--train", data.train.path, "--val", data.validation.path, "--model", "efficientnet_lite0", "--weights", weights.path,
            "--epochs", "3", "--image-size", "64", "--output", checkpoint.path,
        ], timeLimit: 400)

        XCTAssertEqual(run.status, 0, "seed-tutorial failed:\n\(run.output.suffix(2000))\n\(run.errors)")
        let lines = run.output.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "classifier: in_features=1280 out_features=1000")
        XCTAssertTrue(lines.contains { $0.hasPrefix("unfroze stage6") }, "progressive unfreezing of the next stage:\n\(run.output)")
        XCTAssertTrue(lines.contains { $0.contains("Sneaker") && $0.split(separator: " ").count == 11 }, "a confusion-matrix row")
        let last = try XCTUnwrap(lines.last)
        let match = try XCTUnwrap(last.wholeMatch(of: /best validation accuracy ([01]\.\d{4})/), "last line: \(last)")
        let accuracy = try XCTUnwrap(Double(match.1))
        XCTAssertGreaterThanOrEqual(accuracy, Self.minimumAccuracy, run.output)

        let groups = try Models.make("efficientnet_lite0").layerGroups.filter { ["stage7", "stage6", "head"].contains($0.name) }
        let prefixes = Dictionary(uniqueKeysWithValues: groups.map { ($0.name, $0.prefixes) })
        let python = try ReferencePython.run([
            PackagePaths.file("scripts/fixtures/open_tutorial_checkpoint.py").path, checkpoint.path,
            OfflineAsset.directory.appendingPathComponent("efficientnet-lite-pytorch").path,
            String(decoding: try JSONEncoder().encode(prefixes), as: UTF8.self),
        ])
        XCTAssertEqual(python.status, 0, python.errors)
        let opened = try XCTUnwrap(python.output.split(separator: "\n").last.map(String.init))
        let fields = opened.split(separator: " ")
        XCTAssertEqual(fields.first, "ok", python.output)
        XCTAssertEqual(Double(fields[1]) ?? -1, accuracy, accuracy: 5e-5, "val_acc is the best accuracy printed")
        XCTAssertEqual(fields[2], "groups=stage7,head,stage6", "the tutorial's groups, the unfrozen stage last")
    }
}
