import Foundation
import GraftModels
import GraftNN
import GraftTensor
import GraftTestSupport
import XCTest

/// EfficientNet B0–B7 and V2 S/M/L against torchvision 0.14 on seeded random weights (batch-norm statistics
/// randomised; tolerances in `TorchvisionParity`) with the real stochastic-depth and dropout probabilities: Graft draws
/// its masks as torchvision does, so after the same seed the train-mode logits and gradients match too. B0 and V2-S
/// run in every test run (every gradient recorded), the other sizes with `GRAFT_SLOW_TESTS=1`. Also the
/// preprocessing and groups (staged forward and head: `ArchitectureTests`) and the configuration of the Lite sizes.
final class EfficientNetTests: XCTestCase {
    func testB0MatchesTorchvision() throws { try TorchvisionParity.check("efficientnet_b0", fixtures: ModelFixtures.zoo("effnet")) }

    func testV2SMatchesTorchvision() throws { try TorchvisionParity.check("efficientnet_v2_s", fixtures: ModelFixtures.zoo("effnet")) }

    /// Every other size, with the gradients `zoo_effnet_all.py` records.
    func testEveryOtherSizeMatchesTorchvision() throws {
        let names = ["efficientnet_b1", "efficientnet_b2", "efficientnet_b3", "efficientnet_b4", "efficientnet_b5", "efficientnet_b6", "efficientnet_b7", "efficientnet_v2_m", "efficientnet_v2_l"]
        try ZooCoverage.requireSlowSuite(names.joined(separator: ", "))
        for name in names { try TorchvisionParity.check(name, fixtures: ModelFixtures.zoo("effnet_all")) }
    }

    /// The transforms of each `EfficientNet_*_Weights.DEFAULT` (IMAGENET1K_V1, but IMAGENET1K_V2 for B1); parameter
    /// counts are checked with the rest of the zoo's in `ArchitectureTests`.
    func testConfigsFollowTorchvisionsDefaultWeights() throws {
        let expected: [(String, resize: Int, crop: Int, interpolation: String)] = [
            ("efficientnet_b0", 256, 224, "bicubic"), ("efficientnet_b1", 255, 240, "bilinear"),
            ("efficientnet_b2", 288, 288, "bicubic"), ("efficientnet_b3", 320, 300, "bicubic"),
            ("efficientnet_b4", 384, 380, "bicubic"), ("efficientnet_b5", 456, 456, "bicubic"),
            ("efficientnet_b6", 528, 528, "bicubic"), ("efficientnet_b7", 600, 600, "bicubic"),
            ("efficientnet_v2_s", 384, 384, "bilinear"), ("efficientnet_v2_m", 480, 480, "bilinear"),
        ]
        for (name, resize, crop, interpolation) in expected {
            let model = try Models.make(name)
            XCTAssertEqual(model.name, name)
            XCTAssertEqual(model.pretrainedConfig, PretrainedConfig(
                inputSize: crop, resizeSize: resize, interpolation: interpolation, classifierName: "classifier.1"), name)
        }
        XCTAssertEqual(try Models.make("efficientnet-v2-l").pretrainedConfig, PretrainedConfig(
            inputSize: 480, resizeSize: 480, mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5], interpolation: "bicubic",
            classifierName: "classifier.1"))
    }

    /// Groups start at each stride-2 stage; the block counts per stage follow torchvision's depth rounding.
    func testGroupsAndDepthsFollowTorchvision() throws {
        let b0 = try Models.make("efficientnet_b0"), b7 = try Models.make("efficientnet_b7")
        let s = try Models.make("efficientnet_v2_s"), l = try Models.make("efficientnet_v2_l")
        XCTAssertEqual(b0.layerGroups.map(\.name), ["stem", "stage1", "stage2", "stage3", "stage4", "head"])
        XCTAssertEqual(b0.layerGroups.map(\.prefixes), [
            ["features.0", "features.1"], ["features.2"], ["features.3"], ["features.4", "features.5"],
            ["features.6", "features.7", "features.8"], ["classifier"],
        ])
        XCTAssertEqual(s.layerGroups.map(\.prefixes.count), [2, 1, 1, 2, 2, 1])
        XCTAssertEqual(l.layerGroups.map(\.prefixes.count), [2, 1, 1, 2, 3, 1])
        /// The number of blocks (`features.N.M.block…`) in each stage N.
        func blocksPerStage(_ model: ImageClassifier) -> [Int] {
            let blocks = Set(model.namedParameters().map { $0.0.split(separator: ".") }.filter { $0.count > 3 && $0[3] == "block" }.map { $0.prefix(3) })
            return Dictionary(grouping: blocks, by: { Int($0[1])! }).sorted { $0.key < $1.key }.map(\.value.count)
        }
        XCTAssertEqual(blocksPerStage(b7), [4, 7, 7, 10, 10, 13, 4])
        XCTAssertEqual(blocksPerStage(l), [4, 7, 7, 10, 19, 25, 7])
        XCTAssertEqual(blocksPerStage(s), [2, 4, 4, 6, 9, 15])
    }

    /// Lite1 and Lite2 at the reference package's input sizes, resized by TensorFlow's evaluation crop (+32 pixels),
    /// with the TF-Lite normalisation; checkpoint parity and real photos are in `PretrainedParityTests` and
    /// `RealPhotoTests`.
    func testLiteSizesFollowTheReferencePackage() throws {
        for (name, size, blocks) in [("efficientnet_lite0", 224, 16), ("efficientnet_lite1", 240, 21), ("efficientnet_lite2", 260, 21)] {
            let model = try Models.make(name)
            XCTAssertEqual(model.name, name)
            XCTAssertEqual(model.pretrainedConfig.inputSize, size, name)
            XCTAssertEqual(model.pretrainedConfig.resizeSize, size + 32, name)
            XCTAssertEqual(model.pretrainedConfig.mean, [127.0 / 255, 127.0 / 255, 127.0 / 255], name)
            XCTAssertEqual(model.layerGroups.map(\.name), ["stem"] + (1...7).map { "stage\($0)" } + ["head"], name)
            XCTAssertEqual(model.layerGroups.dropFirst().dropLast().map(\.prefixes).joined().filter { $0.hasPrefix("_blocks.") }.count, blocks, name)
        }
    }

    /// Stochastic depth is the identity in evaluation and drops whole rows, rescaling the rest, in training.
    func testStochasticDepthDropsWholeRowsInTraining() throws {
        let layer = try StochasticDepth(p: 0.5)
        let input = try Tensor.ones([64, 3, 2, 2])
        layer.eval()
        XCTAssertEqual(try maxAbsDifference(layer(input), input), 0)
        layer.train()
        Engine.manualSeed(3)
        let rows = try layer(input).flatten(start: 1).scalars(as: Float.self)
        let perRow = stride(from: 0, to: rows.count, by: 12).map { Set(rows[$0..<($0 + 12)]) }
        XCTAssertTrue(perRow.allSatisfy { $0 == [0] || $0 == [2] }, "\(perRow)")
        XCTAssertTrue(perRow.contains([0]) && perRow.contains([2]))
        XCTAssertEqual(layer.description, "StochasticDepth(p=0.5, mode=row)")
        XCTAssertThrowsError(try StochasticDepth(p: 1.5))
    }
}
