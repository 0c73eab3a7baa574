import Foundation
import GraftIO
import GraftModels
import GraftNN
import GraftTensor
import GraftTestSupport
import XCTest

/// DenseNet-121/161/169/201 against torchvision 0.14 on seeded random weights (batch-norm statistics randomised;
/// tolerances in `TorchvisionParity`): DenseNet-121 in make test with every gradient, the other sizes in the slow suite
/// (GRAFT_SLOW_TESTS=1); legacy checkpoint names, preprocessing and groups (staged forward and head: `ArchitectureTests`).
final class DenseNetTests: XCTestCase {
    func testDenseNet121MatchesTorchvision() throws { try TorchvisionParity.check("densenet121", fixtures: ModelFixtures.zoo("densenet")) }

    func testEveryOtherSizeMatchesTorchvision() throws {
        try ZooCoverage.requireSlowSuite("densenet161, densenet169, densenet201")
        for name in ["densenet161", "densenet169", "densenet201"] { try TorchvisionParity.check(name, fixtures: ModelFixtures.zoo("densenet_all")) }
    }

    /// torchvision's DenseNet files name `norm1` `norm.1` (and lack num_batches_tracked): renamed, they load exactly
    /// and give torchvision's logits.
    func testLegacyKeyNamesLoadAfterRenaming() throws {
        let fixtures = ModelFixtures.zoo("densenet")
        let legacy = try CheckpointReader.read(contentsOf: ModelFixtures.file("densenet121_legacy.pth", from: fixtures)).tensors()
        XCTAssertTrue(legacy.contains { $0.0 == "features.denseblock1.denselayer1.norm.1.weight" })
        let model = try Models.make("densenet121")
        XCTAssertThrowsError(try model.load(stateDict: legacy, strict: true))
        let renamed = model.renamingLegacyKeys(legacy)
        XCTAssertTrue(renamed.contains { $0.0 == "features.denseblock4.denselayer16.conv2.weight" })
        XCTAssertTrue(try model.load(stateDict: renamed, strict: true).isExact)
        model.eval()
        let reference = try ModelFixtures.tensors("densenet121_io.pth", from: fixtures)
        let expected = try XCTUnwrap(reference["eval_logits"])
        let logits = try withNoGrad { try model(XCTUnwrap(reference["input"])) }
        XCTAssertLessThan(try maxAbsDifference(logits, expected) / expected.abs().max().item(), 1e-4)
    }

    func testOnlyLegacyDenseLayerNamesAreRenamed() throws {
        let model = try Models.make("densenet121")
        let one = try Tensor.zeros([1])
        let names = ["features.denseblock2.denselayer10.relu.2.running_var", "features.transition1.norm.weight",
                     "features.norm5.bias", "features.denseblock1.denselayer1.norm1.weight", "features.denseblock1.denselayer1.norm.3.weight",
                     "classifier.weight"]
        XCTAssertEqual(model.renamingLegacyKeys(names.map { ($0, one) }).map(\.0), [
            "features.denseblock2.denselayer10.relu2.running_var", "features.transition1.norm.weight", "features.norm5.bias",
            "features.denseblock1.denselayer1.norm1.weight", "features.denseblock1.denselayer1.norm.3.weight", "classifier.weight",
        ])
        XCTAssertEqual(try Models.make("resnet18").renamingLegacyKeys([("layer1.0.bn1.weight", one)]).map(\.0), ["layer1.0.bn1.weight"])
    }

    /// (Parameter counts are checked with the rest of the zoo's in `ArchitectureTests`.)
    func testConfigsAndGroupsFollowTorchvision() throws {
        let model = try Models.make("DenseNet121")
        XCTAssertEqual(model.name, "densenet121")
        // torchvision's only (DEFAULT) weights, IMAGENET1K_V1: resize 256, crop 224, bilinear, ImageNet statistics.
        for name in ["densenet121", "densenet161", "densenet169", "densenet201"] {
            XCTAssertEqual(try Models.make(name).pretrainedConfig, PretrainedConfig(resizeSize: 256, classifierName: "classifier"), name)
        }
        XCTAssertEqual(model.layerGroups, [
            LayerGroup("stem", ["features.conv0", "features.norm0"]),
            LayerGroup("denseblock1", ["features.denseblock1", "features.transition1"]),
            LayerGroup("denseblock2", ["features.denseblock2", "features.transition2"]),
            LayerGroup("denseblock3", ["features.denseblock3", "features.transition3"]),
            LayerGroup("denseblock4", ["features.denseblock4", "features.norm5"]),
            LayerGroup("head", ["classifier"]),
        ])
        XCTAssertEqual(try Models.make("densenet161").classifier.inFeatures, 2208)
    }
}
