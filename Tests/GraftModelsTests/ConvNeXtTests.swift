import Foundation
import GraftModels
import GraftNN
import GraftTensor
import GraftTestSupport
import XCTest

/// ConvNeXt against torchvision 0.14 on seeded random weights (normalisation parameters and layer scales randomised;
/// tolerances in `TorchvisionParity`): tiny in `make test`, small, base and large in the slow suite. Train-mode
/// parity is checked without stochastic depth (as the reference was built), eval parity also with torchvision's
/// default probabilities; preprocessing and groups (staged forward and head: `ArchitectureTests`).
final class ConvNeXtTests: XCTestCase {
    func testTinyMatchesTorchvision() throws { try checkParity(.tiny, fixtures: ModelFixtures.zoo("convnext")) }

    func testSmallBaseAndLargeMatchTorchvision() throws {
        try ZooCoverage.requireSlowSuite("convnext_small, convnext_base, convnext_large")
        for size in [ConvNeXt.Size.small, .base, .large] { try checkParity(size, fixtures: ModelFixtures.zoo("convnext_all")) }
    }

    /// Gradients and train logits without stochastic depth, then eval logits of the registry's model, which has
    /// torchvision's default stochastic-depth probabilities (inactive in evaluation).
    private func checkParity(_ size: ConvNeXt.Size, fixtures: Result<URL, Error>) throws {
        let name = "convnext_\(size.rawValue)"
        try TorchvisionParity.check(name, fixtures: fixtures, build: { try ConvNeXt(size, stochasticDepthProbability: 0) })
        let model = try TorchvisionParity.loadedModel(name, fixtures: fixtures)
        let reference = try ModelFixtures.tensors("\(name)_io.pth", from: fixtures)
        let expected = try XCTUnwrap(reference["eval_logits"])
        model.eval()
        let logits = try withNoGrad { try model(XCTUnwrap(reference["input"])) }
        XCTAssertLessThan(try maxAbsDifference(logits, expected) / expected.abs().max().item(), 1e-4, "\(name) eval logits")
    }

    /// (Parameter counts are checked with the rest of the zoo's in `ArchitectureTests`.)
    func testConfigsAndGroupsFollowTorchvision() throws {
        // torchvision's DEFAULT weights (IMAGENET1K_V1): crop 224, bilinear, ImageNet statistics, resize per size.
        for (size, resize) in [(ConvNeXt.Size.tiny, 236), (.small, 230), (.base, 232), (.large, 232)] {
            let model = try Models.make("convnext_\(size.rawValue)")
            XCTAssertEqual(model.name, "convnext_\(size.rawValue)")
            XCTAssertEqual(model.pretrainedConfig, PretrainedConfig(resizeSize: resize, classifierName: "classifier.2"))
        }
        let tiny = try Models.make("convnext_tiny")
        XCTAssertEqual(tiny.layerGroups, [
            LayerGroup("stem", ["features.0"]), LayerGroup("stage1", ["features.1"]), LayerGroup("stage2", ["features.2", "features.3"]),
            LayerGroup("stage3", ["features.4", "features.5"]), LayerGroup("stage4", ["features.6", "features.7"]),
            LayerGroup("head", ["classifier"]),
        ])
        XCTAssertEqual(tiny.stageCount, 5)
        let names = tiny.namedParameters().map(\.0)
        for expected in ["features.0.0.weight", "features.0.1.bias", "features.1.0.layer_scale", "features.1.0.block.0.weight",
                         "features.1.0.block.2.weight", "features.1.0.block.3.weight", "features.1.0.block.5.bias",
                         "features.2.0.weight", "features.2.1.weight", "features.5.8.block.3.weight", "classifier.0.weight",
                         "classifier.2.weight"] {
            XCTAssertTrue(names.contains(expected), expected)
        }
        // No batch norm: folding has nothing to fold.
        XCTAssertFalse(tiny.namedModules().contains { $0.1 is BatchNorm2d })
    }

    /// The default stochastic-depth probabilities grow linearly to torchvision's per-size maximum.
    func testStochasticDepthGrowsLinearly() throws {
        let model = try ConvNeXt(.tiny)
        let probabilities = model.namedModules().compactMap { ($0.1 as? StochasticDepth)?.p }
        XCTAssertEqual(probabilities.count, 18)
        XCTAssertEqual(probabilities.first, 0)
        XCTAssertEqual(try XCTUnwrap(probabilities.last), 0.1, accuracy: 1e-12)
        XCTAssertEqual(probabilities[9], 0.1 * 9 / 17, accuracy: 1e-12)
    }

    /// In training each sample is dropped or scaled by 1 / (1 − p); in evaluation nothing changes.
    func testStochasticDepthDropsWholeSamples() throws {
        let layer = try StochasticDepth(p: 0.5)
        let input = try Tensor.ones([64, 3, 2, 2])
        Engine.manualSeed(1)
        let output = try layer(input)
        let perSample = try output.floats()
        var kept = 0
        for row in 0..<64 {
            let values = Set(perSample[(row * 12)..<((row + 1) * 12)])
            XCTAssertTrue(values == [0] || values == [2], "\(values)")
            if values == [2] { kept += 1 }
        }
        XCTAssertTrue((8...56).contains(kept), "\(kept) of 64 kept")
        layer.eval()
        XCTAssertEqual(try maxAbsDifference(layer(input), input), 0)
    }
}
