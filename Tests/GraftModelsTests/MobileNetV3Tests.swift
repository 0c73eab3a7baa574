import Foundation
import GraftIO
import GraftModels
import GraftNN
import GraftTensor
import XCTest

/// MobileNetV3 small and large against torchvision 0.14 on seeded random weights (batch-norm statistics randomised;
/// every parameter's gradient recorded; tolerances in `TorchvisionParity`); staged forward, head, preprocessing and
/// groups.
final class MobileNetV3Tests: XCTestCase {
    func testSmallMatchesTorchvision() throws { try TorchvisionParity.check("mobilenet_v3_small", fixtures: ModelFixtures.generated) }

    func testLargeMatchesTorchvision() throws { try TorchvisionParity.check("mobilenet_v3_large", fixtures: ModelFixtures.generated) }

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
