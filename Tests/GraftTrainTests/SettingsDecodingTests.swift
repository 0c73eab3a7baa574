import Foundation
import GraftTrain
import XCTest

/// Settings saved before a setting existed still decode (older checkpoints resume); present keys keep their values.
final class SettingsDecodingTests: XCTestCase {
    func testMissingKeysTakeTheBehaviourOfTheVersionThatWroteThem() throws {
        let old = #"{"epochs":9,"batchSize":16,"headLearningRate":0.002,"optimizer":"sgd","seed":5,"mean":[0.5,0.5,0.5]}"#
        let settings = try JSONDecoder().decode(FineTuneSettings.self, from: Data(old.utf8))
        XCTAssertEqual(settings.epochs, 9)
        XCTAssertEqual(settings.batchSize, 16)
        XCTAssertEqual(settings.headLearningRate, 0.002)
        XCTAssertEqual(settings.optimizer, .sgd)
        XCTAssertEqual(settings.seed, 5)
        XCTAssertEqual(settings.mean, [0.5, 0.5, 0.5])
        XCTAssertEqual(settings.backboneLearningRate, FineTuneSettings().backboneLearningRate)
        XCTAssertEqual(settings.batchNorm, .train, "runs saved before the policy existed trained their statistics")
        XCTAssertTrue(settings.decayNormAndBias, "and decayed every parameter")
        XCTAssertEqual(settings.accumulateBatches, 1)
        XCTAssertNil(settings.clipGradNorm)
    }

    func testEncodedSettingsRoundTrip() throws {
        let settings = FineTuneSettings(epochs: 4, headEpochs: 2, imageSize: 64, batchNorm: .train, accumulateBatches: 3, clipGradNorm: 1.5,
                                        decayNormAndBias: true)
        XCTAssertEqual(try JSONDecoder().decode(FineTuneSettings.self, from: JSONEncoder().encode(settings)), settings)
        XCTAssertEqual(try JSONDecoder().decode(FineTuneSettings.self, from: JSONEncoder().encode(FineTuneSettings())), FineTuneSettings())
    }

    func testMistypedKeyIsAnError() {
        XCTAssertThrowsError(try JSONDecoder().decode(FineTuneSettings.self, from: Data(#"{"accumulateBatches":"two"}"#.utf8)))
    }
}
