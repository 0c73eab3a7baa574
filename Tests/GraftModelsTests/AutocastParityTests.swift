import GraftModels
import GraftNN
import GraftTensor
import XCTest

/// Graft's bfloat16 autocast against PyTorch's `torch.autocast("cpu", dtype=torch.bfloat16)` on the same weights
/// (`scripts/fixtures/zoo_autocast.py`): the same ops in the same precision give PyTorch's numbers within float32
/// rounding (1e-5 of the largest value) — eval logits computed as PyTorch computes them (gradient recording on, which
/// turns Graft's inference shortcuts off), train-mode logits, gradients (backward outside autocast). Graft's inference
/// path (no gradient recording: batch norms folded into the convolutions, so the folded weights are rounded to
/// bfloat16 instead of the convolution's output; channels-last images, whose bfloat16 convolutions take other kernels
/// where the CPU has no native bfloat16) differs by bfloat16 rounding: within twice the gap between PyTorch's own
/// bfloat16 and float32 logits on the same CPU (that gap is 0.6% on an AMX Xeon, 2–5% on an AVX2-only EPYC).
final class AutocastParityTests: XCTestCase {
    func testResNet18() throws { try check("resnet18") }
    func testMobileNetV3Large() throws { try check("mobilenet_v3_large") }

    func check(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let fixtures = ModelFixtures.zoo("autocast")
        let model = try TorchvisionParity.loadedModel(name, fixtures: fixtures)
        let reference = try ModelFixtures.tensors("\(name)_autocast.pth", from: fixtures)
        let input = try XCTUnwrap(reference["input"])

        model.eval()
        let logits = try withNoGrad { try withAutocast(.bfloat16, on: .cpu) { try model(input) } }
        XCTAssertEqual(logits.dtype, .bfloat16, "\(name): autocast logits", file: file, line: line)
        XCTAssertFalse(isAutocastEnabled(on: .cpu), "autocast left on", file: file, line: line)
        let expected = try XCTUnwrap(reference["eval_logits_bf16"])
        let float32 = try XCTUnwrap(reference["eval_logits"])
        let scale = try expected.abs().max().item()
        let evalError = try maxAbsDifference(logits.to(.float32), expected) / scale
        let bfloat16Gap = try maxAbsDifference(expected, float32) / scale
        let recorded = try withAutocast(.bfloat16, on: .cpu) { try model(input) }
        let recordedError = try maxAbsDifference(recorded.to(.float32), expected) / scale
        XCTAssertLessThan(recordedError, 1e-5, "\(name) bf16 eval logits (PyTorch's ops)", file: file, line: line)
        XCTAssertLessThan(evalError, 2 * bfloat16Gap, "\(name) bf16 eval logits (inference path)", file: file, line: line)
        XCTAssertGreaterThan(bfloat16Gap, 1e-4, "\(name): PyTorch's bf16 logits should differ from float32's", file: file, line: line)

        model.train()
        Engine.manualSeed(123)
        let trainLogits = try withAutocast(.bfloat16, on: .cpu) { try model(input) }.to(.float32)
        let expectedTrain = try XCTUnwrap(reference["train_logits_bf16"])
        let trainError = try maxAbsDifference(trainLogits, expectedTrain) / expectedTrain.abs().max().item()
        XCTAssertLessThan(trainError, 1e-5, "\(name) bf16 train logits", file: file, line: line)
        try trainLogits.crossEntropy(targets: XCTUnwrap(reference["targets"])).backward()
        let parameters = Dictionary(model.namedParameters(), uniquingKeysWith: { a, _ in a })
        var gradientErrors: [(String, Double)] = []
        for key in reference.keys.filter({ $0.hasPrefix("grad.") }).sorted() {
            let parameter = String(key.dropFirst("grad.".count))
            let expectedGrad = try XCTUnwrap(reference[key])
            let grad = try XCTUnwrap(parameters[parameter]?.grad, "\(name): no gradient for \(parameter)")
            XCTAssertEqual(grad.dtype, .float32, "\(name) d/d\(parameter): gradients of float32 weights stay float32")
            gradientErrors.append((parameter, try maxAbsDifference(grad, expectedGrad) / expectedGrad.abs().max().item()))
        }
        XCTAssertFalse(gradientErrors.isEmpty, "\(name): no gradient recorded", file: file, line: line)
        for (parameter, error) in gradientErrors { XCTAssertLessThan(error, 1e-5, "\(name) d/d\(parameter)", file: file, line: line) }
        print("autocast bf16 \(name): eval logits \(evalError) inference path, \(recordedError) PyTorch's ops (bf16 vs fp32 in PyTorch: \(bfloat16Gap)); train logits \(trainError);",
              "gradients", gradientErrors.map { "\($0.0) \($0.1)" }.joined(separator: ", "))
    }
}
