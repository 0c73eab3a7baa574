import GraftIO
import GraftModels
import GraftNN
import GraftTensor
import XCTest

/// Graft's models against torchvision / the reference EfficientNet-Lite on the same weights and inputs: eval logits
/// within 1e-4 max abs, train-mode gradients within 1e-4 of the largest gradient element. Inference folds batch norms
/// into convolutions, which changes float rounding: that default path must match within 1e-4 + 1e-6 · max |logit|
/// (1e-4 for the real-weight models, whose logits stay below 10; random-init ResNet-34's reach 114), the unfolded path
/// within 1e-4.
final class PretrainedParityTests: XCTestCase {
    func check(model name: String, checkpoint: URL, io: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let reference = try ModelFixtures.tensors(io)
        let model = try Models.make(name)
        let report = try model.load(stateDict: CheckpointReader.read(contentsOf: checkpoint).tensors(), strict: true)
        XCTAssertTrue(report.isExact, "\(report)", file: file, line: line)
        let input = try XCTUnwrap(reference["input"])

        model.eval()
        let expected = try XCTUnwrap(reference["eval_logits"])
        let logits = try withNoGrad { try model(input) }
        let evalError = try maxAbsDifference(logits, expected)
        let tolerance = try 1e-4 + 1e-6 * expected.abs().max().item()
        XCTAssertLessThan(evalError, tolerance, "\(name) eval logits (batch norm folded)", file: file, line: line)
        model.setBatchNormFolding(false)
        let unfoldedError = try maxAbsDifference(withNoGrad { try model(input) }, expected)
        XCTAssertLessThan(unfoldedError, 1e-4, "\(name) eval logits", file: file, line: line)
        model.setBatchNormFolding(true)
        print("parity \(name): eval logits max abs error \(evalError) (folded), \(unfoldedError) (unfolded)")

        model.train()
        Engine.manualSeed(123)
        let trainLogits = try model(input)
        XCTAssertLessThan(try maxAbsDifference(trainLogits, XCTUnwrap(reference["train_logits"])), 1e-4, "\(name) train logits", file: file, line: line)
        try trainLogits.crossEntropy(targets: XCTUnwrap(reference["targets"])).backward()
        let parameters = Dictionary(model.namedParameters(), uniquingKeysWith: { a, _ in a })
        let gradNames = reference.keys.filter { $0.hasPrefix("grad.") }
        XCTAssertFalse(gradNames.isEmpty)
        for key in gradNames {
            let parameterName = String(key.dropFirst(5))
            let expected = try XCTUnwrap(reference[key])
            let grad = try XCTUnwrap(parameters[parameterName]?.grad, "\(name): no gradient for \(parameterName)")
            let scale = max(try expected.abs().max().item(), 1e-12)
            XCTAssertLessThan(try maxAbsDifference(grad, expected) / scale, 1e-4, "\(name) d/d\(parameterName)", file: file, line: line)
        }
    }

    func testResNet18ZipCheckpoint() throws {
        try check(model: "resnet18", checkpoint: ModelFixtures.file("resnet18_zip.pth"), io: "resnet18_zip_io.pth")
    }

    func testResNet18LegacyCheckpoint() throws {
        try check(model: "resnet18", checkpoint: ModelFixtures.file("resnet18_legacy.pth"), io: "resnet18_legacy_io.pth")
    }

    func testResNet34() throws {
        try check(model: "resnet34", checkpoint: ModelFixtures.file("resnet34_zip.pth"), io: "resnet34_zip_io.pth")
    }

    func testResNet50LegacyCheckpoint() throws {
        try check(model: "resnet50", checkpoint: ModelFixtures.file("resnet50_legacy.pth"), io: "resnet50_legacy_io.pth")
    }

    func testMobileNetV2RealWeights() throws {
        try check(model: "mobilenet_v2", checkpoint: ModelFixtures.asset(ModelFixtures.mobileNetV2), io: "mobilenet_v2_io.pth")
    }

    func testEfficientNetLite0RealWeights() throws {
        try check(model: "efficientnet_lite0", checkpoint: ModelFixtures.asset(ModelFixtures.efficientNetLite0), io: "efficientnet_lite0_io.pth")
    }

    func testEfficientNetLite1RealWeights() throws {
        try check(model: "efficientnet_lite1", checkpoint: ModelFixtures.asset(ModelFixtures.efficientNetLite1), io: "efficientnet_lite1_io.pth")
    }

    func testEfficientNetLite2RealWeights() throws {
        try check(model: "efficientnet_lite2", checkpoint: ModelFixtures.asset(ModelFixtures.efficientNetLite2), io: "efficientnet_lite2_io.pth")
    }
}
