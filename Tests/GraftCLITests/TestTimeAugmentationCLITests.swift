import Foundation
import GraftTrain
import GraftTestSupport
import XCTest

/// `--tta` on `graft evaluate` and `graft predict`, end to end on a one-epoch run (every process time-limited by the
/// CLI harness).
final class TestTimeAugmentationCLITests: XCTestCase {
    private static let photos = ["chelsea.png", "coffee.png"].map { "/usr/lib/python3/dist-packages/skimage/data/" + $0 }

    func testEvaluateAndPredictAverageTheRequestedViews() throws {
        guard FileManager.default.fileExists(atPath: DataSpec.fashionMNISTDirectory) else {
            throw Prerequisite.missing("Debian's dataset-fashion-mnist is not installed")
        }
        let run = CLI.temporaryDirectory(self).appendingPathComponent("run")
        let train = try CLI.run(TrainResumeExportTests.trainArguments(epochs: 1) + ["--output", run.path])
        XCTAssertEqual(train.status, 0, train.errors)

        let evaluate = ["evaluate", "--checkpoint", run.path, "--data", "fashion-mnist", "--limit", "20"]
        for views in ["none", "crops"] {
            let result = try CLI.run(evaluate + ["--tta", views])
            XCTAssertEqual(result.status, 0, result.errors)
            XCTAssertTrue(result.output.contains("on 20 images"), result.output)
            XCTAssertTrue(result.output.contains("top-5 accuracy"), result.output)
        }

        let predict = ["predict", "--checkpoint", run.path, "--top-k", "10"] + Self.photos
        let single = try CLI.run(predict)
        let flipped = try CLI.run(predict + ["--tta", "flip"])
        XCTAssertEqual(single.status, 0, single.errors)
        XCTAssertEqual(flipped.status, 0, flipped.errors)
        XCTAssertEqual(flipped.output.components(separatedBy: "%").count, 2 * 10 + 1, flipped.output)
        XCTAssertNotEqual(single.output, flipped.output, "the mirrored view changes the probabilities")

        let bad = try CLI.run(predict + ["--tta", "sideways"])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.errors.contains("--tta"), bad.errors)
    }
}
