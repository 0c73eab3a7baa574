import Foundation
import GraftIO
import GraftModels
import GraftNN
import GraftTensor
import GraftTestSupport
import XCTest

/// Vision Transformers against torchvision 0.14 on seeded random weights (layer norms, class token and head drawn at
/// random; gradients of the embeddings, the first layer, parts of the last, the final norm and the head): vit_b_32 at
/// its native 224 pixels, the position-embedding resizing against `interpolate_embeddings`, and 96-pixel images
/// against a 96-pixel torchvision model; configs and groups (staged forward and head: `ArchitectureTests`). The other sizes run in the slow
/// suite (`GRAFT_SLOW_TESTS=1`).
final class VisionTransformerTests: XCTestCase {
    func testB32MatchesTorchvision() throws { try TorchvisionParity.check("vit_b_32", fixtures: ModelFixtures.zoo("vit")) }

    func testPositionEmbeddingResizingMatchesTorchvision() throws {
        let reference = try ModelFixtures.tensors("vit_b_32_resized.pth", from: ModelFixtures.zoo("vit"))
        let embedding = try XCTUnwrap(reference["pos_embedding"])
        for (size, grid) in [(96, 3), (288, 9)] {
            let expected = try XCTUnwrap(reference["pos_embedding_\(size)"])
            let resized = try VisionTransformer.interpolatedPositionEmbedding(embedding, grid: (grid, grid))
            XCTAssertEqual(resized.shape, expected.shape)
            XCTAssertLessThan(try maxAbsDifference(resized, expected), 1e-6 * (try expected.abs().max().item()), "\(size) px")
        }
        XCTAssertThrowsError(try VisionTransformer.interpolatedPositionEmbedding(Tensor.zeros([1, 11, 4]), grid: (2, 2)))
    }

    func testSmallerImagesMatchTorchvisionWithResizedEmbeddings() throws {
        let fixtures = ModelFixtures.zoo("vit")
        let model = try TorchvisionParity.loadedModel("vit_b_32", fixtures: fixtures)
        let reference = try ModelFixtures.tensors("vit_b_32_resized.pth", from: fixtures)
        model.eval()
        let expected = try XCTUnwrap(reference["eval_logits_96"])
        let logits = try withNoGrad { try model(XCTUnwrap(reference["input_96"])) }
        let error = try maxAbsDifference(logits, expected) / expected.abs().max().item()
        XCTAssertLessThan(error, 1e-4)
        print("parity vit_b_32 at 96 px (resized position embeddings): eval logits relative error \(error)")
    }

    func testImageSidesMustBeMultiplesOfThePatchSize() throws {
        let model = try Models.make("vit_b_32")
        XCTAssertThrowsError(try withNoGrad { try model(Tensor.zeros([1, 3, 64, 48])) }) { XCTAssertTrue("\($0)".contains("multiples of 32")) }
        XCTAssertEqual(try withNoGrad { try model(Tensor.zeros([1, 3, 64, 96])) }.shape, [1, 1000])
    }

    func testConfigsAndGroupsFollowTorchvision() throws {
        // torchvision's DEFAULT weights (IMAGENET1K_V1): crop 224, bilinear; resize 256 except vit_l_16's 242.
        for (size, resize) in [(VisionTransformer.Size.b16, 256), (.b32, 256), (.l16, 242), (.l32, 256)] {
            XCTAssertEqual(size.pretrainedConfig, PretrainedConfig(inputSize: 224, resizeSize: resize, classifierName: "heads.head"), "\(size)")
        }
        let model = try Models.make("vit-b-32", numClasses: 3)
        XCTAssertEqual(model.name, "vit_b_32")
        XCTAssertEqual(model.pretrainedConfig, PretrainedConfig(inputSize: 224, resizeSize: 256, classifierName: "heads.head", numClasses: 3))
        XCTAssertEqual(model.layerGroups.map(\.name), ["stem"] + (1...12).map { "layer\($0)" } + ["head"])
        XCTAssertEqual(model.layerGroups.first?.prefixes, ["conv_proj", "class_token", "encoder.pos_embedding"])
        XCTAssertEqual(model.layerGroups[12].prefixes, ["encoder.layers.encoder_layer_11"])
        XCTAssertEqual(model.layerGroups.last?.prefixes, ["encoder.ln", "heads"])
        XCTAssertEqual(model.stageCount, 13)
        XCTAssertEqual(Array(model.stateDict().map(\.0).prefix(4)), ["class_token", "conv_proj.weight", "conv_proj.bias", "encoder.pos_embedding"])
    }
}

/// The sizes `make test` leaves out (vit_b_16, vit_l_16, vit_l_32) against torchvision at 224 pixels; opt-in.
final class VisionTransformerSlowTests: XCTestCase {
    override func setUpWithError() throws {
        try ZooCoverage.requireSlowSuite("vit_b_16, vit_l_16, vit_l_32")
    }

    func testB16MatchesTorchvision() throws { try TorchvisionParity.check("vit_b_16", fixtures: ModelFixtures.zoo("vit_all")) }

    func testL16MatchesTorchvision() throws { try TorchvisionParity.check("vit_l_16", fixtures: ModelFixtures.zoo("vit_all")) }

    func testL32MatchesTorchvision() throws { try TorchvisionParity.check("vit_l_32", fixtures: ModelFixtures.zoo("vit_all")) }
}
