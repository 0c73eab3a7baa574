import Foundation
import GraftModels
import GraftNN
import GraftTensor
import GraftTestSupport
import XCTest

/// ResNet-101/152, ResNeXt and Wide ResNet against torchvision 0.14 on seeded random weights (batch-norm statistics
/// randomised; tolerances in `TorchvisionParity`): ResNeXt-50 32x4d in make test, every other size in the slow suite
/// (GRAFT_SLOW_TESTS=1); preprocessing and groups (staged forward and head: `ArchitectureTests`).
final class ResNetZooTests: XCTestCase {
    static let deepNames = ["resnet101", "resnet152", "resnext101_32x8d", "resnext101_64x4d", "wide_resnet50_2", "wide_resnet101_2"]

    func testResNeXt50MatchesTorchvision() throws { try TorchvisionParity.check("resnext50_32x4d", fixtures: ModelFixtures.zoo("resnet")) }

    func testEveryOtherSizeMatchesTorchvision() throws {
        try ZooCoverage.requireSlowSuite(Self.deepNames.joined(separator: ", "))
        for name in Self.deepNames {
            // torchvision's DEFAULT weights: IMAGENET1K_V2 (resize 232, crop 224), except resnext101_64x4d's
            // IMAGENET1K_V1, which has the same transforms.
            XCTAssertEqual(try Models.make(name).pretrainedConfig, PretrainedConfig(resizeSize: 232, classifierName: "fc"), name)
            try TorchvisionParity.check(name, fixtures: ModelFixtures.zoo("resnet_all"))
        }
    }

    /// (Parameter counts are checked with the rest of the zoo's in `ArchitectureTests`.)
    func testConfigsGroupsAndWidthsFollowTorchvision() throws {
        let resnext = try Models.make("resnext50-32x4d"), wideModel = try Models.make("wide_resnet50_2")
        XCTAssertEqual(resnext.name, "resnext50_32x4d")
        // torchvision's DEFAULT weights: IMAGENET1K_V2 (resize 232, crop 224) from ResNet-50 on (the deeper sizes'
        // configs are checked in the slow suite: building them takes seconds), IMAGENET1K_V1 (resize 256) below.
        for model in [try Models.make("resnet50"), resnext, wideModel] {
            XCTAssertEqual(model.pretrainedConfig, PretrainedConfig(resizeSize: 232, classifierName: "fc"), model.name)
        }
        XCTAssertEqual(try Models.make("resnet18").pretrainedConfig, PretrainedConfig(resizeSize: 256, classifierName: "fc"))
        XCTAssertEqual(resnext.layerGroups.map(\.name), ["stem", "layer1", "layer2", "layer3", "layer4", "head"])
        let shapes = Dictionary(resnext.stateDict().map { ($0.0, $0.1.shape) }, uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(shapes["layer1.0.conv2.weight"], [128, 4, 3, 3], "32 groups of 4 channels")
        XCTAssertEqual(shapes["layer4.2.conv3.weight"], [2048, 1024, 1, 1])
        let wide = Dictionary(wideModel.stateDict().map { ($0.0, $0.1.shape) }, uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(wide["layer1.0.conv2.weight"], [128, 128, 3, 3], "twice ResNet-50's bottleneck width")
        XCTAssertThrowsError(try ResNet(name: "r", kind: .basic, blocks: [2, 2, 2, 2], groups: 32, widthPerGroup: 4))
    }
}
