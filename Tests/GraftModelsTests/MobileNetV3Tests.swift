import Foundation
import GraftIO
import GraftModels
import GraftNN
import GraftTensor
import XCTest

/// MobileNetV3 small and large against torchvision 0.14 on seeded random weights (batch-norm statistics randomised):
/// eval logits within 1e-4 of the largest reference logit (batch norm folded and unfolded), train-mode logits and
/// every parameter's gradient within 1e-4 of that parameter's largest reference gradient (floored at 1e-4 of the
/// largest gradient of the whole model, for parameters whose gradient is ~0); staged forward, head,
/// preprocessing and groups.
final class MobileNetV3Tests: XCTestCase {
    /// The model `name` with torchvision's fixture weights loaded strictly.
    func loadedModel(_ name: String) throws -> ImageClassifier {
        let model = try Models.make(name)
        let weights = try CheckpointReader.read(contentsOf: ModelFixtures.file("\(name).pth")).tensors()
        let report = try model.load(stateDict: weights, strict: true)
        XCTAssertTrue(report.isExact, "\(report)")
        return model
    }

    func checkParity(_ name: String) throws {
        let model = try loadedModel(name)
        let reference = try ModelFixtures.tensors("\(name)_io.pth")
        let input = try XCTUnwrap(reference["input"])

        model.eval()
        let expected = try XCTUnwrap(reference["eval_logits"])
        let logitScale = try expected.abs().max().item()
        let folded = try maxAbsDifference(withNoGrad { try model(input) }, expected) / logitScale
        model.setBatchNormFolding(false)
        let unfolded = try maxAbsDifference(withNoGrad { try model(input) }, expected) / logitScale
        model.setBatchNormFolding(true)
        XCTAssertLessThan(folded, 1e-4, "\(name) eval logits (batch norm folded)")
        XCTAssertLessThan(unfolded, 1e-4, "\(name) eval logits")

        model.train()
        Engine.manualSeed(123)
        let trainLogits = try model(input)
        let expectedTrain = try XCTUnwrap(reference["train_logits"])
        let trainError = try maxAbsDifference(trainLogits, expectedTrain) / expectedTrain.abs().max().item()
        XCTAssertLessThan(trainError, 1e-4, "\(name) train logits")
        try trainLogits.crossEntropy(targets: XCTUnwrap(reference["targets"])).backward()

        let parameters = model.namedParameters()
        XCTAssertEqual(Set(reference.keys.filter { $0.hasPrefix("grad.") }), Set(parameters.map { "grad." + $0.0 }))
        let expectedGrads = try parameters.map { try XCTUnwrap(reference["grad." + $0.0], $0.0) }
        let floor = 1e-4 * (try expectedGrads.map { try $0.abs().max().item() }.max() ?? 0)
        let errors = try zip(parameters, expectedGrads).map { named, expectedGrad in
            let grad = try XCTUnwrap(named.1.grad, "\(name): no gradient for \(named.0)")
            return (named.0, try maxAbsDifference(grad, expectedGrad) / max(expectedGrad.abs().max().item(), floor))
        }
        for (parameterName, error) in errors { XCTAssertLessThan(error, 1e-4, "\(name) d/d\(parameterName)") }
        let worst = try XCTUnwrap(errors.max { $0.1 < $1.1 })
        print("parity \(name): eval logits relative error \(folded) (folded), \(unfolded) (unfolded); train logits \(trainError);",
              "worst of \(errors.count) gradients \(worst.1) (d/d\(worst.0))")
    }

    func testSmallMatchesTorchvision() throws { try checkParity("mobilenet_v3_small") }

    func testLargeMatchesTorchvision() throws { try checkParity("mobilenet_v3_large") }

    /// (Parameter counts are checked with the rest of the zoo's in `ArchitectureTests`.)
    func testConfigsAndGroupsFollowTorchvision() throws {
        let small = try Models.make("mobilenet_v3_small"), large = try Models.make("mobilenet-v3-large")
        XCTAssertEqual(large.name, "mobilenet_v3_large")
        // torchvision's DEFAULT weights: IMAGENET1K_V1 for small (resize 256), IMAGENET1K_V2 for large (resize 232).
        XCTAssertEqual(small.pretrainedConfig, PretrainedConfig(resizeSize: 256, classifierName: "classifier.3"))
        XCTAssertEqual(large.pretrainedConfig, PretrainedConfig(resizeSize: 232, classifierName: "classifier.3"))
        XCTAssertEqual(small.layerGroups.map(\.name), ["stem", "stage1", "stage2", "stage3", "stage4", "head"])
        XCTAssertEqual(small.layerGroups.map(\.prefixes.count), [1, 1, 2, 5, 4, 1])
        XCTAssertEqual(large.layerGroups.map(\.prefixes.count), [2, 2, 3, 6, 4, 1])
    }

    func testStagedForwardEqualsPlainForward() throws {
        for name in ["mobilenet_v3_small", "mobilenet_v3_large"] {
            Engine.manualSeed(5)
            let model = try Models.make(name)
            model.eval()
            let input = try Tensor.randn([2, 3, 64, 64])
            let plain = try withNoGrad { try model(input) }
            let staged = try withNoGrad {
                var x = input
                for index in 0..<model.stageCount { x = try model.stage(index, x) }
                return try model.classify(features: model.pool(x))
            }
            XCTAssertEqual(model.stageCount, 5)
            XCTAssertLessThan(try maxAbsDifference(staged, plain), 1e-5 * max(try plain.abs().max().item(), 1), name)
        }
    }

    func testReplaceHeadSwapsOnlyTheLastLinear() throws {
        let model = try Models.make("mobilenet_v3_large")
        let hidden = try model.stateDict().first { $0.0 == "classifier.0.weight" }!.1.clone()
        try model.replaceHead(numClasses: 5)
        let state = Dictionary(model.stateDict(), uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(state["classifier.3.weight"]?.shape, [5, 1280])
        XCTAssertEqual(try maxAbsDifference(XCTUnwrap(state["classifier.0.weight"]), hidden), 0)
        model.eval()
        XCTAssertEqual(try withNoGrad { try model(Tensor.randn([1, 3, 64, 64])) }.shape, [1, 5])
    }
}
