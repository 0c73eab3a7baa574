import Foundation
import GraftIO
import GraftModels
import GraftNN
import GraftTensor
import XCTest

/// MobileNetV3 small and large against torchvision 0.14 on seeded random weights (batch-norm statistics randomised;
/// every parameter's gradient recorded; tolerances in `TorchvisionParity`); preprocessing and groups
/// (staged forward and head: `ArchitectureTests`).
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
}
