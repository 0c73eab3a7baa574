import Foundation
import GraftData
import GraftModels
import GraftTensor
import GraftTestSupport
import XCTest
@testable import GraftTrain

/// Test-time augmentation: the views are torchvision's (hflip, five_crop) and the result is the mean of their softmax.
final class TestTimeAugmentationTests: XCTestCase {
    private static let photos = "/usr/lib/python3/dist-packages/skimage/data"
    private static let photoNames = ["chelsea.png", "astronaut.png", "rocket.jpg"]

    /// Resize 83 and crop 64: odd leftovers on both axes, so the centre offset's rounding and the far corners count.
    private static func evalTransform() throws -> TransformPipeline {
        try .evalTransform(inputSize: 64, resizeSize: 83, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225])
    }

    func testViewCountsFollowTheModeAndTheFlipPermission() throws {
        let eval = try Self.evalTransform()
        let counts = try [(TestTimeAugmentation.Views.none, true, 1), (.none, false, 1), (.flip, true, 2), (.flip, false, 1),
                          (.crops, true, 10), (.crops, false, 5)].map { views, flip, expected in
            (try TestTimeAugmentation(views, allowsFlip: flip).pipelines(from: eval).count, expected)
        }
        XCTAssertEqual(counts.map(\.0), counts.map(\.1))
        let uncropped = TransformPipeline([Resize(height: 64, width: 64)], normalize: eval.normalize)
        XCTAssertEqual(try TestTimeAugmentation(.flip, allowsFlip: true).pipelines(from: uncropped).count, 2)
        XCTAssertThrowsError(try TestTimeAugmentation(.crops, allowsFlip: true).pipelines(from: uncropped)) { error in
            guard case TrainingError.invalidSetting("testTimeAugmentation", _) = error else { return XCTFail("\(error)") }
        }
    }

    /// torchvision's TenCrop-style views on the same decoded photos: Resize(83) → five_crop(64) → each crop and its
    /// F.hflip → ToTensor → Normalize. Resize and crops are bit-exact with PIL, so only normalization's float rounding
    /// remains: tolerance 1e-5 (measured: 0, identical floats).
    func testCropAndFlipViewsMatchTorchvisionFiveCropAndHflip() throws {
        try ReferencePython.require(modules: ["torch", "torchvision", "PIL", "numpy"])
        let directory = try PackagePaths.temporaryDirectory(for: self)
        let script = """
        import sys, numpy as np
        from PIL import Image
        import torchvision.transforms as T, torchvision.transforms.functional as F
        resize, normalize = T.Resize(83), T.Compose([T.ToTensor(), T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
        for path, out in zip(sys.argv[1::2], sys.argv[2::2]):
            crops = list(F.five_crop(resize(Image.open(path).convert("RGB")), 64))
            views = crops + [F.hflip(crop) for crop in crops]
            np.stack([normalize(view).numpy() for view in views]).astype(np.float32).tofile(out)
        """
        var arguments: [String] = []
        for name in Self.photoNames { arguments += ["\(Self.photos)/\(name)", directory.appendingPathComponent(name + ".f32").path] }
        let reference = try ReferencePython.run(code: script, arguments: arguments)
        XCTAssertEqual(reference.status, 0, reference.output)

        let pipelines = try TestTimeAugmentation(.crops, allowsFlip: true).pipelines(from: Self.evalTransform())
        for name in Self.photoNames {
            let image = try ImageDecoder.decodeFile(atPath: "\(Self.photos)/\(name)")
            var ours: [Float] = []
            for pipeline in pipelines {
                var random = SeededRandom(seed: 0)
                ours += try pipeline.apply(image, random: &random).values
            }
            let data = try Data(contentsOf: directory.appendingPathComponent(name + ".f32"))
            let theirs = data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
            XCTAssertEqual(ours.count, 10 * 3 * 64 * 64, name)
            XCTAssertNil(Closeness(atol: 1e-5).mismatch(ours, theirs), name)
        }
    }

    /// The evaluator's TTA probabilities against each view pushed through the model one image at a time and averaged:
    /// equal within 1e-6 (batching changes float rounding only; measured 9e-9), over a batch size that does not divide the data.
    func testProbabilitiesAreTheMeanOfEachViewsSoftmax() throws {
        let root = try PackagePaths.temporaryDirectory(for: self)
        for (index, name) in (Self.photoNames + ["coffee.png"]).enumerated() {
            let folder = root.appendingPathComponent(index % 2 == 0 ? "even" : "odd")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: "\(Self.photos)/\(name)", toPath: folder.appendingPathComponent(name).path)
        }
        let dataset = AnyImageDataset(try ImageFolder(root: root.path))
        let model = try Models.make("resnet18", numClasses: 2)
        let transform = try Self.evalTransform()
        let augmentation = TestTimeAugmentation(.crops, allowsFlip: true)
        var reports: [(Int, Int)] = []
        let predictions = try Evaluator.run(model: model, dataset: dataset, transform: transform, batchSize: 3, workers: 1,
                                            testTimeAugmentation: augmentation, progress: { reports.append(($0, $1)) })
        XCTAssertEqual(reports.last.map { [$0.0, $0.1] }, [20, 20], "2 batches × 10 views")

        let pipelines = try augmentation.pipelines(from: transform)
        model.eval()
        var maximumDifference = 0.0
        try withNoGrad {
            for (row, name) in predictions.names.enumerated() {
                let image = try ImageDecoder.decodeFile(atPath: name)
                var mean = [0.0, 0.0]
                for pipeline in pipelines {
                    var random = SeededRandom(seed: 0)
                    let view = try pipeline.apply(image, random: &random)
                    let input = try Tensor(view.values, shape: [1, 3, view.height, view.width])
                    let scores = try model(input).softmax(dim: 1).to(.float64).scalars(as: Double.self)
                    for column in mean.indices { mean[column] += scores[column] / Double(pipelines.count) }
                }
                XCTAssertFalse(mean.contains { !$0.isFinite })
                for column in mean.indices {
                    maximumDifference = max(maximumDifference, abs(mean[column] - predictions.probabilities[row][column]))
                }
                XCTAssertEqual(predictions.predicted[row], mean[1] > mean[0] ? 1 : 0, name)
            }
        }
        XCTAssertLessThanOrEqual(maximumDifference, 1e-6)
        let single = try Evaluator.run(model: model, dataset: dataset, transform: transform, batchSize: 3, workers: 1)
        XCTAssertNotEqual(single.probabilities, predictions.probabilities, "the views must change the result")
    }
}
