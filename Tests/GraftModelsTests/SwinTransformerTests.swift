import Foundation
import GraftModels
import GraftNN
import GraftTensor
import GraftTestSupport
import XCTest

/// Swin Transformers (V1) against torchvision 0.14 on seeded random weights (layer norms and relative position bias
/// tables drawn at random; stochastic depth at torchvision's default rates, drawing the same random numbers):
/// swin_t on 72-pixel images in make test, every gradient; configs and groups (staged forward and head: `ArchitectureTests`). swin_t at 224
/// pixels, swin_s and swin_b run in the slow suite (`GRAFT_SLOW_TESTS=1`).
final class SwinTransformerTests: XCTestCase {
    func testTinyMatchesTorchvision() throws { try TorchvisionParity.check("swin_t", fixtures: ModelFixtures.zoo("swin")) }

    func testConfigsAndGroupsFollowTorchvision() throws {
        // torchvision's DEFAULT weights (IMAGENET1K_V1): crop 224, bicubic, resize 232 / 246 / 238.
        for (size, resize) in [(SwinTransformer.Size.t, 232), (.s, 246), (.b, 238)] {
            XCTAssertEqual(size.pretrainedConfig,
                           PretrainedConfig(inputSize: 224, resizeSize: resize, interpolation: "bicubic", classifierName: "head"), "\(size)")
        }
        let model = try Models.make("swin-t", numClasses: 4)
        XCTAssertEqual(model.name, "swin_t")
        XCTAssertEqual(model.pretrainedConfig.numClasses, 4)
        XCTAssertEqual(model.layerGroups.map(\.name), ["stem", "stage1", "stage2", "stage3", "stage4", "head"])
        XCTAssertEqual(model.layerGroups[4].prefixes, ["features.6", "features.7", "norm"])
        XCTAssertEqual(model.stageCount, 5)
        let buffers = model.namedBuffers().map(\.0)
        XCTAssertEqual(buffers.count, 12)
        XCTAssertEqual(buffers.first, "features.1.0.attn.relative_position_index")
    }
}

/// swin_t at its native 224 pixels, swin_s and swin_b against torchvision; opt-in.
final class SwinTransformerSlowTests: XCTestCase {
    override func setUpWithError() throws {
        try ZooCoverage.requireSlowSuite("swin_t at 224 px, swin_s, swin_b")
    }

    func testTinyAt224MatchesTorchvision() throws { try TorchvisionParity.check("swin_t", fixtures: ModelFixtures.zoo("swin_all")) }

    func testSmallMatchesTorchvision() throws { try TorchvisionParity.check("swin_s", fixtures: ModelFixtures.zoo("swin_all")) }

    func testBaseMatchesTorchvision() throws { try TorchvisionParity.check("swin_b", fixtures: ModelFixtures.zoo("swin_all")) }
}
