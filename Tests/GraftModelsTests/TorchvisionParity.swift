import GraftIO
import GraftModels
import GraftNN
import GraftTensor
import XCTest

/// A zoo model against the torchvision record of the same weights (`torchvision_fixtures.py`): eval logits within 1e-4
/// of the largest reference logit (batch norm folded and unfolded), train-mode logits within 1e-4 of theirs, and every
/// recorded gradient (with `Linear` layers on libtorch's BLAS product, as torchvision's are) within 1e-4 of that
/// parameter's largest reference gradient (floored at 1e-4 of the largest gradient of the whole model, for parameters
/// whose gradient is ~0). Every recorded gradient must name a parameter.
enum TorchvisionParity {
    /// Model `name` (from `build`, else `Models.make`) with `<name>.pth` from `fixtures` loaded strictly.
    static func loadedModel(_ name: String, fixtures: Result<URL, Error>, build: (() throws -> ImageClassifier)? = nil) throws -> ImageClassifier {
        let model = try build?() ?? Models.make(name)
        let weights = try CheckpointReader.read(contentsOf: ModelFixtures.file("\(name).pth", from: fixtures)).tensors()
        let report = try model.load(stateDict: weights, strict: true)
        XCTAssertTrue(report.isExact, "\(report)")
        return model
    }

    /// Checks `name` against `<name>_io.pth` from `fixtures` and prints the worst errors; `build` makes the model
    /// when it needs other options than `Models.make` gives (e.g. no stochastic depth, as the reference was built).
    static func check(
        _ name: String, fixtures: Result<URL, Error>, build: (() throws -> ImageClassifier)? = nil,
        file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let model = try loadedModel(name, fixtures: fixtures, build: build)
        let reference = try ModelFixtures.tensors("\(name)_io.pth", from: fixtures)
        let input = try XCTUnwrap(reference["input"])

        model.eval()
        let expected = try XCTUnwrap(reference["eval_logits"])
        let logitScale = try expected.abs().max().item()
        let folded = try maxAbsDifference(withNoGrad { try model(input) }, expected) / logitScale
        model.setBatchNormFolding(false)
        let unfolded = try maxAbsDifference(withNoGrad { try model(input) }, expected) / logitScale
        model.setBatchNormFolding(true)
        XCTAssertLessThan(folded, 1e-4, "\(name) eval logits (batch norm folded)", file: file, line: line)
        XCTAssertLessThan(unfolded, 1e-4, "\(name) eval logits", file: file, line: line)

        model.train()
        Engine.manualSeed(123)
        let trainLogits = try model(input)
        let expectedTrain = try XCTUnwrap(reference["train_logits"])
        let trainError = try maxAbsDifference(trainLogits, expectedTrain) / expectedTrain.abs().max().item()
        XCTAssertLessThan(trainError, 1e-4, "\(name) train logits", file: file, line: line)
        // Gradients through many training-mode batch norms amplify the oneDNN head's rounding (1e-6) up to 7e-4 in
        // some norm biases; with libtorch's BLAS `linear` the model must reproduce torchvision's gradients.
        // (`OneDNNLinearTests` checks oneDNN's gradients against BLAS's directly.)
        try Engine.withOneDNNLinear(false) {
            Engine.manualSeed(123)
            try model(input).crossEntropy(targets: XCTUnwrap(reference["targets"])).backward()
        }

        let parameters = Dictionary(model.namedParameters(), uniquingKeysWith: { a, _ in a })
        let recorded = reference.keys.filter { $0.hasPrefix("grad.") }.map { String($0.dropFirst("grad.".count)) }.sorted()
        XCTAssertFalse(recorded.isEmpty, "\(name): no gradient recorded", file: file, line: line)
        XCTAssertTrue(Set(recorded).isSubset(of: parameters.keys), "\(name): recorded gradients without a parameter", file: file, line: line)
        let expectedGrads = try recorded.map { try XCTUnwrap(reference["grad." + $0], $0) }
        let floor = 1e-4 * (try expectedGrads.map { try $0.abs().max().item() }.max() ?? 0)
        let errors = try zip(recorded, expectedGrads).map { parameterName, expectedGrad in
            let grad = try XCTUnwrap(parameters[parameterName]?.grad, "\(name): no gradient for \(parameterName)")
            return (parameterName, try maxAbsDifference(grad, expectedGrad) / max(expectedGrad.abs().max().item(), floor))
        }
        for (parameterName, error) in errors { XCTAssertLessThan(error, 1e-4, "\(name) d/d\(parameterName)", file: file, line: line) }
        let worst = try XCTUnwrap(errors.max { $0.1 < $1.1 })
        print("parity \(name): eval logits relative error \(folded) (folded), \(unfolded) (unfolded); train logits \(trainError);",
              "worst of \(errors.count) gradients \(worst.1) (d/d\(worst.0))")
    }
}
