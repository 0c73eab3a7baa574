import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import GraftData
import GraftReport
import GraftTestSupport
import GraftTrain
import XCTest

/// `graft lr-find` end to end on a small ImageFolder, its flag errors, and `graft train --lr auto --head-lr auto`:
/// the found rates are printed, recorded in the history and the checkpoint's settings, and `--resume` does not sweep.
final class LearningRateFinderCLITests: XCTestCase {
    func testLRFindOnAnImageFolderPrintsSuggestionsAndWritesThePlot() throws {
        let root = CLI.temporaryDirectory(self)
        let data = try ImageFolderFixture.write(to: root.appendingPathComponent("images"), classes: ["red", "green", "blue"], imagesPerClass: 8)
        let output = root.appendingPathComponent("sweep")
        let run = try CLI.run(["lr-find", "--data", data.path, "--val-split", "0.25", "--model", "resnet18", "--from-scratch",
                               "--image-size", "32", "--batch-size", "4", "--workers", "1", "--iterations", "40", "--output", output.path])
        XCTAssertEqual(run.status, 0, run.errors)
        XCTAssertTrue(run.output.contains("suggested --head-lr") || run.output.contains("no learning-rate suggestion for head"), run.output)
        let image = try ImageDecoder.decodeFile(atPath: output.appendingPathComponent("lr_find.png").path)
        XCTAssertGreaterThan(image.width, 0)
        let parser = XMLParser(data: try Data(contentsOf: output.appendingPathComponent("lr_find.svg")))
        XCTAssertTrue(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let result = try decoder.decode(LearningRateFinderResult.self, from: Data(contentsOf: output.appendingPathComponent("lr_find.json")))
        XCTAssertEqual(result.groups, ["head"])
        XCTAssertTrue((1...40).contains(result.rates.count))
        XCTAssertEqual(result.rates.first, 1e-7)
        if let valley = result.suggestions?.valley {
            XCTAssertTrue(run.output.contains(String(format: "suggested --head-lr %.3g", valley)), run.output)
        }
    }

    func testLRFindFlagErrorsNameTheFlag() throws {
        for (arguments, expected) in [
            (["--start-lr", "0"], "--start-lr must be a positive number"),
            (["--end-lr", "1e-9"], "--end-lr must be a finite number above"),
            (["--iterations", "1"], "--iterations must be at least 2"),
            (["--stage", "neck"], "neck"),
            (["--resume", "/tmp/run"], "--resume"),
        ] {
            let run = try CLI.run(["lr-find", "--data", "fashion-mnist"] + arguments)
            XCTAssertNotEqual(run.status, 0)
            XCTAssertTrue(run.errors.contains(expected), "\(arguments): \(run.errors)")
        }
        let headOnly = try CLI.run(["train", "--data", "fashion-mnist", "--lr", "fast"])
        XCTAssertTrue(headOnly.errors.contains("--lr"), headOnly.errors)
        // Config files take `auto` too (this one decodes and then fails on its epochs), and name a bad value's key.
        let directory = CLI.temporaryDirectory(self)
        let auto = directory.appendingPathComponent("auto.yaml"), bad = directory.appendingPathComponent("bad.yaml")
        try "data: fashion-mnist\nhead_lr: auto\nlr: 3e-4\nepochs: 0\n".write(to: auto, atomically: true, encoding: .utf8)
        try "data: fashion-mnist\nlr: quick\n".write(to: bad, atomically: true, encoding: .utf8)
        let decoded = try CLI.run(["train", "--config", auto.path])
        XCTAssertTrue(decoded.errors.contains("--epochs must be at least 1"), decoded.errors)
        let refused = try CLI.run(["train", "--config", bad.path])
        XCTAssertTrue(refused.errors.contains("lr") && refused.errors.contains("a number or 'auto'"), refused.errors)
    }

    func testAutoRatesAreFoundOnceRecordedAndKeptOnResume() throws {
        guard FileManager.default.fileExists(atPath: DataSpec.fashionMNISTDirectory) else {
            throw Prerequisite.missing("Debian's dataset-fashion-mnist is not installed")
        }
        let run = CLI.temporaryDirectory(self).appendingPathComponent("run")
        let train = try CLI.run(["train", "--data", "fashion-mnist", "--train-limit", "24", "--val-limit", "12", "--model", "resnet18",
                                 "--from-scratch", "--image-size", "16", "--epochs", "2", "--head-epochs", "1", "--batch-size", "8",
                                 "--workers", "2", "--lr", "auto", "--head-lr", "auto", "--output", run.path])
        XCTAssertEqual(train.status, 0, train.errors)
        XCTAssertTrue(train.output.contains("learning-rate finder for head"), train.output)
        XCTAssertTrue(train.output.contains("learning-rate finder for layer4"), train.output)
        for file in ["lr_find_head.png", "lr_find_head.svg", "lr_find_layer4.json"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: run.appendingPathComponent(file).path), file)
        }
        let history = try RunHistory(jsonData: Data(contentsOf: run.appendingPathComponent("history.json")))
        let found = try XCTUnwrap(history.foundLearningRates)
        let head = try XCTUnwrap(found["head"]), backbone = try XCTUnwrap(found["backbone"])
        XCTAssertTrue(head.isFinite && head > 0 && backbone.isFinite && backbone > 0, "\(found)")
        XCTAssertEqual(history.epochs.map(\.learningRates.count), [1, 2])

        let checkpoint = try LoadedCheckpoint(contentsOf: run.appendingPathComponent("checkpoints/last.safetensors"))
        let settings = try XCTUnwrap(checkpoint.metadata.settings)
        XCTAssertFalse(settings.findHeadLearningRate)
        XCTAssertFalse(settings.findBackboneLearningRate)
        XCTAssertEqual(settings.headLearningRate, head)
        XCTAssertEqual(settings.backboneLearningRate, backbone, accuracy: backbone * 1e-12)
        XCTAssertEqual(checkpoint.metadata.scheduler.baseLearningRates[0], head)
        XCTAssertEqual(checkpoint.metadata.scheduler.baseLearningRates[1], backbone, accuracy: backbone * 1e-12)

        let resumed = try CLI.run(["train", "--resume", run.path, "--epochs", "3"])
        XCTAssertEqual(resumed.status, 0, resumed.errors)
        XCTAssertFalse(resumed.output.contains("learning-rate finder"), resumed.output)
        let extended = try LoadedCheckpoint(contentsOf: run.appendingPathComponent("checkpoints/last.safetensors"))
        XCTAssertEqual(extended.metadata.progress.nextEpoch, 3)
        XCTAssertEqual(extended.metadata.scheduler.baseLearningRates.first, head)
        XCTAssertEqual(try XCTUnwrap(extended.metadata.scheduler.baseLearningRates.last), backbone, accuracy: backbone * 1e-12)
    }
}
