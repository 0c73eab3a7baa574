import GraftData
import GraftModels
import GraftTrain
import XCTest

/// Strategies become the seed recipe's phases; custom phases are checked against the model's groups.
final class PhasePlanTests: XCTestCase {
    let liteGroups = ["stem", "stage1", "stage2", "stage3", "stage4", "stage5", "stage6", "stage7", "head"]

    func testProgressiveUnfreezesDeepestGroupsWithHalvingRates() throws {
        var settings = FineTuneSettings(headLearningRate: 1e-3, backboneLearningRate: 1e-4)
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
