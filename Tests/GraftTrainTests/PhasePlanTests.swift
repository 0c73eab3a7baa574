import GraftData
import GraftModels
import GraftTrain
import XCTest

/// Strategies become the seed recipe's phases; custom phases are checked against the model's groups.
final class PhasePlanTests: XCTestCase {
    let liteGroups = ["stem", "stage1", "stage2", "stage3", "stage4", "stage5", "stage6", "stage7", "head"]

    func testProgressiveUnfreezesDeepestGroupsWithHalvingRates() throws {
        var settings = FineTuneSettings(headLearningRate: 1e-3, backboneLearningRate: 1e-4, strategy: .progressive, unfreezeDepth: 2)
        settings.epochs = 6
        let phases = try PhasePlan.phases(for: settings, groups: liteGroups)
        XCTAssertEqual(phases, [
            Phase(atEpoch: 0, unfreeze: ["head"], learningRate: 1e-3),
            Phase(atEpoch: 2, unfreeze: ["stage7"], learningRate: 1e-4),
            Phase(atEpoch: 4, unfreeze: ["stage6"], learningRate: 5e-5),
        ])
    }

    func testHeadAndFullStrategies() throws {
        var settings = FineTuneSettings(headLearningRate: 1e-3, backboneLearningRate: 1e-4)
        settings.strategy = .head
        XCTAssertEqual(try PhasePlan.phases(for: settings, groups: ["stem", "layer1", "head"]).map(\.unfreeze), [["head"]])
        settings.strategy = .full
        let full = try PhasePlan.phases(for: settings, groups: ["stem", "layer1", "head"])
        XCTAssertEqual(full.map(\.unfreeze), [["head"], ["layer1"], ["stem"]])
        XCTAssertEqual(full.map(\.learningRate), [1e-3, 1e-4, 5e-5])
        XCTAssertTrue(full.allSatisfy { $0.atEpoch == 0 })
    }

    /// `auto` weighs images × epochs × the pixel share against the limit: the accuracy suite's runs become full
    /// fine-tunes, the seed-recipe case and the demo progressive, and text runs progressive.
    func testAutoStrategyFineTunesSmallRunsFullyAndLargeOnesProgressively() throws {
        func chosen(_ images: Int, epochs: Int, side: Int?, pretrained: Int? = 224) -> FineTuneSettings.Strategy {
            FineTuneSettings(epochs: epochs, imageSize: side).autoStrategy(trainingExamples: images, pretrainedImageSide: pretrained)
        }
        XCTAssertEqual(chosen(500, epochs: 6, side: 64), .full, "fashion-500: 245 passes")
        XCTAssertEqual(chosen(4_000, epochs: 3, side: 48), .full, "mnist-5k: 551 passes")
        XCTAssertEqual(chosen(5_000, epochs: 6, side: 96), .progressive, "seed recipe: 5,510 passes")
        XCTAssertEqual(chosen(2_000, epochs: 1, side: nil), .full, "2,000 full-size passes: the limit itself")
        XCTAssertEqual(chosen(2_001, epochs: 1, side: nil), .progressive)
        XCTAssertEqual(chosen(10, epochs: 1, side: nil, pretrained: nil), .progressive, "text models")
        XCTAssertEqual(FineTuneSettings(headEpochs: 2).autoStrategy(trainingExamples: 10, pretrainedImageSide: 224), .progressive,
                       "head epochs ask for the progressive shape")
        XCTAssertEqual(FineTuneSettings(epochs: 3, imageSize: 112).autoWork(trainingExamples: 1_000, pretrainedImageSide: 224) ?? .nan, 750, accuracy: 1e-9)

        let settings = FineTuneSettings(epochs: 3, imageSize: 48)
        let resolved = settings.resolvingAutoStrategy(trainingExamples: 4_000, pretrainedImageSide: 224)
        XCTAssertEqual([resolved.strategy], [.full])
        XCTAssertEqual(resolved.warmupEpochs, 0, "no warm-up in a run of under four epochs")
        let sixEpochs = FineTuneSettings(epochs: 6, imageSize: 64)
        XCTAssertEqual(sixEpochs.resolvingAutoStrategy(trainingExamples: 500, pretrainedImageSide: 224).warmupEpochs, 1)
        XCTAssertEqual(sixEpochs.autoStrategyExplanation(trainingExamples: 500, pretrainedImageSide: 224),
                       "strategy auto: full with a warm-up epoch (500 images × 6 epochs × (64/224 px)² = 245 full-size image passes, at most 2000; `strategy` progressive trains faster)")
        var warmed = sixEpochs
        warmed.warmupEpochs = 2
        XCTAssertEqual(warmed.resolvingAutoStrategy(trainingExamples: 500, pretrainedImageSide: 224).warmupEpochs, 2, "a warm-up that was set stays")
        XCTAssertEqual(sixEpochs.resolvingAutoStrategy(trainingExamples: 5_000, pretrainedImageSide: 96).warmupEpochs, 0, "progressive: no warm-up")
        var progressive = settings
        progressive.strategy = .progressive
        XCTAssertEqual(progressive.resolvingAutoStrategy(trainingExamples: 10, pretrainedImageSide: 224).strategy, .progressive,
                       "a strategy that was chosen stays")
        XCTAssertEqual(settings.autoStrategyExplanation(trainingExamples: 4_000, pretrainedImageSide: 224),
                       "strategy auto: full (4000 images × 3 epochs × (48/224 px)² = 551 full-size image passes, at most 2000; `strategy` progressive trains faster)")
        XCTAssertThrowsError(try PhasePlan.phases(for: settings, groups: liteGroups)) {
            XCTAssertTrue("\($0)".contains("resolve it first"), "\($0)")
        }
    }

    func testCustomPhasesAreValidated() throws {
        var settings = FineTuneSettings()
        settings.phases = [Phase(atEpoch: 0, unfreeze: ["head"], learningRate: 1e-3), Phase(atEpoch: 1, unfreeze: ["layer9"], learningRate: 1e-4)]
        XCTAssertThrowsError(try PhasePlan.phases(for: settings, groups: ["stem", "layer4", "head"])) {
            XCTAssertTrue("\($0)".contains("'layer9'") && "\($0)".contains("stem, layer4, head"), "\($0)")
        }
        settings.phases = [Phase(atEpoch: 1, unfreeze: ["head"], learningRate: 1e-3)]
        XCTAssertThrowsError(try PhasePlan.phases(for: settings, groups: ["head"])) { XCTAssertTrue("\($0)".contains("epoch 0")) }
        settings.phases = [Phase(atEpoch: 0, unfreeze: ["head"], learningRate: 1e-3), Phase(atEpoch: 9, unfreeze: ["stem"], learningRate: 1e-4)]
        XCTAssertThrowsError(try PhasePlan.phases(for: settings, groups: ["stem", "head"])) { XCTAssertTrue("\($0)".contains("at_epoch 9")) }
    }

    func testSettingsValidationNamesTheSetting() {
        var settings = FineTuneSettings()
        settings.batchSize = 0
        XCTAssertThrowsError(try settings.validate()) { error in
            guard case TrainingError.invalidSetting("batchSize", let message) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(message, "batchSize must be at least 1 (got 0)")
        }
        settings = FineTuneSettings()
        settings.labelSmoothing = 1.5
        XCTAssertThrowsError(try settings.validate()) { XCTAssertTrue("\($0)".contains("labelSmoothing must be in [0, 1)"), "\($0)") }
    }

    func testPreprocessingFollowsTheRunsImageSizeAndTheModelsStatistics() throws {
        var settings = FineTuneSettings()
        settings.imageSize = 96
        let config = try Models.make("efficientnet_lite0").pretrainedConfig
        let eval = try DataSpec.transforms(config: config, settings: settings).eval
        var random = SeededRandom(seed: 1)
        let image = try eval.apply(try Image(width: 300, height: 200, pixels: [UInt8](repeating: 127, count: 300 * 200 * 3)), random: &random)
        XCTAssertEqual([image.height, image.width], [96, 96])
        XCTAssertEqual(image.values[0], 0, accuracy: 1e-6, "(127/255 - mean 127/255) / std = 0")
    }

    /// Swin's weights were trained with bicubic resizing, the ResNets' with bilinear: both pipelines resize that way.
    func testPreprocessingResamplesAsTheWeightsAsk() throws {
        for (name, expected) in [("swin_t", Interpolation.bicubic), ("resnet18", .bilinear)] {
            let config = try Models.make(name).pretrainedConfig
            let pipelines = try DataSpec.transforms(config: config, settings: FineTuneSettings())
            XCTAssertEqual((pipelines.eval.steps.first as? Resize)?.interpolation, expected, name)
            XCTAssertEqual((pipelines.train.steps.first as? Resize)?.interpolation, expected, name)
        }
        var config = try Models.make("resnet18").pretrainedConfig
        config.interpolation = "lanczos"
        XCTAssertThrowsError(try DataSpec.transforms(config: config, settings: FineTuneSettings())) { error in
            XCTAssertTrue("\(error)".contains("'lanczos' resampling"), "\(error)")
        }
    }
}
