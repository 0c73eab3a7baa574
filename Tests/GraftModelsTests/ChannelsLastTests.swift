import GraftModels
import GraftNN
import GraftTensor
import XCTest

/// The channels-last inference path (`usesChannelsLast`, on by default for the depthwise architectures) against plain
/// NCHW on the same weights and inputs: eval logits within 1e-4 max abs; training is untouched (identical gradients).
final class ChannelsLastTests: XCTestCase {
    func testEveryArchitectureGivesTheSameLogitsAndGradientsWithTheSwitchOnAndOff() throws {
        for name in ZooCoverage.sweptNames {
            Engine.manualSeed(11)
            let model = try Models.make(name, numClasses: 10)
            XCTAssertEqual(model.usesChannelsLast, name.hasPrefix("mobilenet") || name.hasPrefix("efficientnet"), name)
            let input = try Tensor.randn([2, 3, 64, 64]), targets = try Tensor([Int64(3), 7])

            model.eval()
            model.usesChannelsLast = true
            let fast = try withNoGrad { try model(input) }
            model.usesChannelsLast = false
            let plain = try withNoGrad { try model(input) }
            let evalError = try (fast - plain).abs().max().item()
            XCTAssertLessThan(evalError, 1e-4, "\(name): eval logits differ by \(evalError)")
            model.usesChannelsLast = true
            let featureError = try withNoGrad {
                try (model.features(model.backboneInput(input)) - model.features(input)).abs().max().item()
            }
            XCTAssertLessThan(featureError, 1e-4, "\(name): cached-feature path differs by \(featureError)")
            model.usesChannelsLast = false

            model.train()
            let plainGrads = try gradients(model, input, targets)
            model.usesChannelsLast = true
            let switchedGrads = try gradients(model, input, targets)
            XCTAssertEqual(switchedGrads.count, model.namedParameters().count, name)
            for (key, expected) in plainGrads {
                let actual = try XCTUnwrap(switchedGrads[key], "\(name): no gradient for \(key)")
                XCTAssertEqual(try (actual - expected).abs().max().item(), 0, "\(name) d/d\(key) changed")
            }
        }
    }

    func testBackboneInputIsChannelsLastOnlyForInference() throws {
        let model = try Models.make("mobilenet_v2", numClasses: 2)
        let images = try Tensor.randn([1, 3, 8, 8])
        // Only a tensor contiguous in NCHW order exposes its memory, so this tells the two layouts apart.
        func isNCHW(_ tensor: Tensor) -> Bool { (try? tensor.withUnsafeMutableBuffer(of: Float.self) { _ in }) != nil }
        model.eval()
        let converted = try withNoGrad { try model.backboneInput(images) }
        XCTAssertFalse(isNCHW(converted))
        XCTAssertEqual(try converted.floats(), try images.floats())
        XCTAssertTrue(isNCHW(try model.backboneInput(images)), "gradient recording keeps NCHW")
        model.train()
        XCTAssertTrue(isNCHW(try withNoGrad { try model.backboneInput(images) }), "training mode keeps NCHW")
        model.eval()
        model.usesChannelsLast = false
        XCTAssertTrue(isNCHW(try withNoGrad { try model.backboneInput(images) }))
        XCTAssertEqual(try withNoGrad { try model.backboneInput(Tensor.randn([5])) }.shape, [5])
    }

    /// Every parameter's gradient after one seeded train-mode forward (dropout included) and cross-entropy backward.
    private func gradients(_ model: ImageClassifier, _ input: Tensor, _ targets: Tensor) throws -> [String: Tensor] {
        for parameter in model.parameters() { try parameter.clearGrad() }
        Engine.manualSeed(5)
        try model(input).crossEntropy(targets: targets).backward()
        var result: [String: Tensor] = [:]
        for (name, parameter) in model.namedParameters() { result[name] = try parameter.grad?.clone() }
        return result
    }
}
