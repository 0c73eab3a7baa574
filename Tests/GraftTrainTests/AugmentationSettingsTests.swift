import Foundation
import GraftData
import GraftModels
import GraftTrain
import XCTest

/// `FineTuneSettings.augmentation` / `flip`: what the data pipeline builds from them and how checkpoints keep them.
final class AugmentationSettingsTests: XCTestCase {
    private let config = PretrainedConfig(inputSize: 32, resizeSize: 40, classifierName: "fc")

    func testDataSpecBuildsTheChosenPresetAndKeepsEvaluationUnaugmented() throws {
        func kinds(_ pipeline: TransformPipeline) -> [String] { pipeline.steps.map { String(describing: type(of: $0)) } }
        let light = try DataSpec.transforms(config: config, settings: FineTuneSettings())
        XCTAssertEqual(kinds(light.train), ["Resize", "RandomCrop", "RandomHorizontalFlip"], "the default is light with flips")
        let strong = try DataSpec.transforms(config: config, settings: FineTuneSettings(augmentation: .strong, flip: false))
        XCTAssertEqual(kinds(strong.train), ["RandomResizedCrop", "RandAugment"])
        XCTAssertNotNil(strong.train.erasing)
        XCTAssertEqual(kinds(strong.eval), ["Resize", "CenterCrop"])
        XCTAssertNil(strong.eval.erasing)
    }

    func testSettingsRoundTripAndOldCheckpointsDecodeAsLightWithFlips() throws {
        let settings = FineTuneSettings(epochs: 3, augmentation: .standard, flip: false)
        let decoded = try JSONDecoder().decode(FineTuneSettings.self, from: JSONEncoder().encode(settings))
        XCTAssertEqual(decoded, settings)

        // Settings as a checkpoint written before these keys existed stores them.
        var old = try XCTUnwrap(JSONSerialization.jsonObject(with: JSONEncoder().encode(settings)) as? [String: Any])
        old.removeValue(forKey: "augmentation")
        old.removeValue(forKey: "flip")
        let legacy = try JSONDecoder().decode(FineTuneSettings.self, from: JSONSerialization.data(withJSONObject: old))
        XCTAssertEqual(legacy.augmentation, .light)
        XCTAssertTrue(legacy.flip)
        XCTAssertEqual(legacy.epochs, 3)

        old["augmentation"] = "strnog"
        XCTAssertThrowsError(try JSONDecoder().decode(FineTuneSettings.self, from: JSONSerialization.data(withJSONObject: old))) { error in
            XCTAssertTrue(String(describing: error).contains("valid presets are none, light, standard, strong"), "\(error)")
        }
    }
}
