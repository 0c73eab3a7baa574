import Foundation
import GraftData
import GraftIO
import GraftModels
import GraftNN
import GraftTensor
import GraftTestSupport
import XCTest

/// The real pretrained checkpoints recognise real photographs (Debian python3-skimage's sample images) when
/// preprocessed with their own pretrained configuration: the right ImageNet class comes first.
final class RealPhotoTests: XCTestCase {
    static let photos = "/usr/lib/python3/dist-packages/skimage/data"

    /// (photo, acceptable ImageNet classes): the cat may be any of the domestic-cat classes.
    static let expectations: [(String, Set<Int>)] = [
        ("chelsea.png", [281, 282, 285]),  // tabby, tiger cat, Egyptian cat
        ("coffee.png", [967]),  // espresso
        ("motorcycle_left.png", [670, 665]),  // motor scooter, moped
    ]

    func topFive(model name: String, weights: String) throws -> [String: [Int]] {
        guard FileManager.default.fileExists(atPath: Self.photos) else { throw Prerequisite.missing("python3-skimage photos are not installed") }
        let model = try Models.make(name)
        try model.load(stateDict: CheckpointReader.read(contentsOf: ModelFixtures.asset(weights)).tensors(), strict: true)
        model.eval()
        let config = model.pretrainedConfig
        let transform = try TransformPipeline.evalTransform(
            inputSize: config.inputSize, resizeSize: config.resizeSize, mean: config.mean.map(Float.init), std: config.std.map(Float.init))
        var result: [String: [Int]] = [:]
        for (photo, _) in Self.expectations {
            var random = SeededRandom(seed: 0)
            let image = try transform.apply(ImageDecoder.decodeFile(atPath: "\(Self.photos)/\(photo)"), random: &random)
            let input = try Tensor(image.values, shape: [1, 3, image.height, image.width])
            let logits = try withNoGrad { try model(input) }
            result[photo] = try logits.topk(5, dim: 1).indices.scalars(as: Int64.self).map { Int($0) }
        }
        return result
    }

    func check(_ name: String, _ weights: String) throws {
        let predictions = try topFive(model: name, weights: weights)
        for (photo, accepted) in Self.expectations {
            let top = try XCTUnwrap(predictions[photo])
            XCTAssertTrue(accepted.contains(top[0]), "\(name) on \(photo): top 5 \(top.map { ImageNetClasses.names[$0] })")
        }
    }

    func testMobileNetV2() throws { try check("mobilenet_v2", ModelFixtures.mobileNetV2) }

    func testEfficientNetLite0() throws { try check("efficientnet_lite0", ModelFixtures.efficientNetLite0) }

    func testEfficientNetLite1() throws { try check("efficientnet_lite1", ModelFixtures.efficientNetLite1) }

    func testEfficientNetLite2() throws { try check("efficientnet_lite2", ModelFixtures.efficientNetLite2) }

    func testClassNamesAreImageNets() {
        XCTAssertEqual(ImageNetClasses.names.count, 1000)
        XCTAssertEqual(ImageNetClasses.names[285], "Egyptian cat")
        XCTAssertEqual(ImageNetClasses.names[967], "espresso")
    }
}
