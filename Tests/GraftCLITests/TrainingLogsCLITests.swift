import Foundation
import GraftReport
import GraftTestSupport
import GraftTrain
import XCTest

/// `graft train`'s logs read back by other tools: the TensorBoard events by TensorBoard's own event accumulator
/// (which reads every file of the folder, as `tensorboard --logdir` does) and `metrics.csv` by Python's csv module,
/// each value compared with `history.json`, through a resume; `--tensorboard DIR`, `--no-tensorboard` and bad values.
final class TrainingLogsCLITests: XCTestCase {
    /// 80 training images in batches of 16: 5 batches per epoch.
    static let batchesPerEpoch = 5

    static func trainArguments(epochs: Int) -> [String] {
        ["train", "--data", "fashion-mnist", "--train-limit", "80", "--val-limit", "40", "--model", "resnet18", "--from-scratch",
         "--image-size", "32", "--epochs", "\(epochs)", "--head-epochs", "1", "--batch-size", "16", "--workers", "2",
         "--log-every-n-steps", "2"]
    }

    override func setUpWithError() throws {
        guard FileManager.default.fileExists(atPath: DataSpec.fashionMNISTDirectory) else {
            throw Prerequisite.missing("Debian's dataset-fashion-mnist is not installed")
        }
        try ReferencePython.require(modules: ["tensorboard.backend.event_processing.event_accumulator"])
    }

    /// Every scalar (step, value) and text (step, text) of the event files in a folder, as TensorBoard loads them.
    struct Logged: Decodable {
        let scalars: [String: [[Double]]]
        let texts: [String: [[String]]]
        let files: Int
    }

    func logged(_ folder: URL) throws -> Logged {
        let code = """
        import json, os, sys
        from tensorboard.backend.event_processing import event_accumulator as ea
        accumulator = ea.EventAccumulator(sys.argv[1], size_guidance={ea.SCALARS: 0, ea.TENSORS: 0})
        accumulator.Reload()
        tags = accumulator.Tags()
        print(json.dumps({
            "scalars": {tag: [[e.step, e.value] for e in accumulator.Scalars(tag)] for tag in tags["scalars"]},
            "texts": {tag: [[str(e.step), e.tensor_proto.string_val[0].decode()] for e in accumulator.Tensors(tag)] for tag in tags["tensors"]},
            "files": len([name for name in os.listdir(sys.argv[1]) if "tfevents" in name])}))
        """
        let result = try ReferencePython.run(code: code, arguments: [folder.path])
        XCTAssertEqual(result.status, 0, result.errors)
        return try JSONDecoder().decode(Logged.self, from: Data(result.output.utf8))
    }

    func history(_ run: URL) throws -> RunHistory {
        try RunHistory(jsonData: Data(contentsOf: run.appendingPathComponent("history.json")))
    }

    /// Checks the per-epoch scalars against the history: steps at each epoch's last batch, float32 values equal.
    func assertEpochScalars(_ logged: Logged, _ history: RunHistory, epochs: ClosedRange<Int>, file: StaticString = #filePath, line: UInt = #line) {
        let records = history.epochs.filter { epochs.contains($0.epoch) }
        let steps = records.map { Double($0.epoch * Self.batchesPerEpoch) }
        func check(_ tag: String, _ expected: [Double?]) {
            let points = logged.scalars[tag] ?? []
            XCTAssertEqual(points.map { $0[0] }, steps, "\(tag) steps", file: file, line: line)
            XCTAssertEqual(points.map { $0[1] }, expected.map { $0.map { Double(Float($0)) } ?? .nan }, tag, file: file, line: line)
        }
        check("epoch", records.map { Double($0.epoch - 1) })
        check("train/loss", records.map(\.trainLoss))
        check("train/accuracy", records.map(\.trainAccuracy))
        check("val/loss", records.map(\.validationLoss))
        check("val/accuracy", records.map(\.validationAccuracy))
        for (index, group) in history.groupNames.enumerated() {
            let withGroup = records.filter { $0.learningRates.count > index }
            let points = (logged.scalars["lr/" + group] ?? []).filter { epochs.contains(Int($0[0]) / Self.batchesPerEpoch) }
            XCTAssertEqual(points.map { $0[1] }, withGroup.map { Double(Float($0.learningRates[index])) }, "lr/\(group)", file: file, line: line)
        }
    }

    /// metrics.csv read by Python's csv module (Lightning's layout), each value equal to the history's.
    func assertMetricsCSV(_ run: URL, _ history: RunHistory, file: StaticString = #filePath, line: UInt = #line) throws {
        let code = """
        import csv, json, sys
        with open(sys.argv[1], newline="") as f:
            reader = csv.DictReader(f)
            print(json.dumps({"header": reader.fieldnames, "rows": [{k: (float(v) if v else None) for k, v in row.items()} for row in reader]}))
        """
        let result = try ReferencePython.run(code: code, arguments: [run.appendingPathComponent("metrics.csv").path])
        XCTAssertEqual(result.status, 0, result.errors, file: file, line: line)
        struct Table: Decodable { let header: [String]; let rows: [[String: Double?]] }
        let table = try JSONDecoder().decode(Table.self, from: Data(result.output.utf8))
        let lrColumns = history.groupNames.map { "lr-" + $0 }
        XCTAssertEqual(table.header, (["epoch", "epoch_seconds", "step", "train_acc", "train_loss", "val_acc", "val_loss"] + lrColumns).sorted(),
                       file: file, line: line)
        XCTAssertEqual(table.rows.count, history.epochs.count, file: file, line: line)
        for (row, record) in zip(table.rows, history.epochs) {
            XCTAssertEqual(row["epoch"], Double(record.epoch - 1), file: file, line: line)
            XCTAssertEqual(row["step"], Double(record.epoch * Self.batchesPerEpoch), file: file, line: line)
            XCTAssertEqual(row["train_loss"], record.trainLoss, file: file, line: line)
            XCTAssertEqual(row["train_acc"], record.trainAccuracy, file: file, line: line)
            XCTAssertEqual(row["val_loss"], record.validationLoss, file: file, line: line)
            XCTAssertEqual(row["val_acc"], record.validationAccuracy, file: file, line: line)
            XCTAssertEqual(row["epoch_seconds"], record.seconds, file: file, line: line)
            for (index, column) in lrColumns.enumerated() {
                XCTAssertEqual(row[column] ?? nil, record.learningRates.indices.contains(index) ? record.learningRates[index] : nil, column,
                               file: file, line: line)
            }
        }
    }

    /// The settings JSON of a `settings` text (a Markdown code block).
    func settings(inText text: String) throws -> FineTuneSettings? {
        struct Summary: Decodable { let settings: FineTuneSettings? }
        let json = text.split(separator: "\n").map { $0.dropFirst(4) }.joined(separator: "\n")
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .nonFiniteAsStrings
        return try decoder.decode(Summary.self, from: Data(json.utf8)).settings
    }

    func testEventsAndCSVMatchTheHistoryThroughAResume() throws {
        let run = CLI.temporaryDirectory(self).appendingPathComponent("run"), events = run.appendingPathComponent("tensorboard")
        let trained = try CLI.run(Self.trainArguments(epochs: 2) + ["--output", run.path])
        XCTAssertEqual(trained.status, 0, trained.errors)
        var history = try history(run)
        XCTAssertEqual(history.epochs.count, 2)
        var read = try logged(events)
        XCTAssertEqual(read.files, 1)
        assertEpochScalars(read, history, epochs: 1...2)
        XCTAssertEqual(read.scalars["train/loss_step"]?.map { $0[0] }, [2, 4, 6, 8, 10])
        XCTAssertTrue(read.scalars["train/loss_step"]?.allSatisfy { $0[1].isFinite && $0[1] > 0 } ?? false)
        let checkpoint = try LoadedCheckpoint(contentsOf: run.appendingPathComponent("checkpoints/last.safetensors"))
        let firstText = try XCTUnwrap(read.texts["settings"]?.first)
        XCTAssertEqual(firstText.first, "0")
        XCTAssertEqual(try settings(inText: firstText[1]), checkpoint.metadata.settings)
        try assertMetricsCSV(run, history)

        // Resumed and extended: a second file; TensorBoard shows each epoch once.
        let resumed = try CLI.run(["train", "--resume", run.path, "--epochs", "3", "--log-every-n-steps", "2"])
        XCTAssertEqual(resumed.status, 0, resumed.errors)
        history = try self.history(run)
        read = try logged(events)
        XCTAssertEqual(read.files, 2)
        assertEpochScalars(read, history, epochs: 1...3)
        XCTAssertEqual(read.scalars["train/loss_step"]?.map { $0[0] }, [2, 4, 6, 8, 10, 12, 14])
        XCTAssertEqual(read.texts["settings"]?.map { $0[0] }, ["0", "10"])
        try assertMetricsCSV(run, history)
    }

    func testTensorBoardFolderFlagsAndBadValues() throws {
        let root = CLI.temporaryDirectory(self)
        let moved = root.appendingPathComponent("moved"), board = root.appendingPathComponent("board")
        let elsewhere = try CLI.run(Self.trainArguments(epochs: 1) + ["--output", moved.path, "--tensorboard", board.path])
        XCTAssertEqual(elsewhere.status, 0, elsewhere.errors)
        XCTAssertEqual(try logged(board).files, 1)
        assertEpochScalars(try logged(board), try history(moved), epochs: 1...1)
        XCTAssertFalse(FileManager.default.fileExists(atPath: moved.appendingPathComponent("tensorboard").path))

        let silent = root.appendingPathComponent("silent")
        let quiet = try CLI.run(Self.trainArguments(epochs: 1) + ["--output", silent.path, "--no-tensorboard"])
        XCTAssertEqual(quiet.status, 0, quiet.errors)
        XCTAssertFalse(FileManager.default.fileExists(atPath: silent.appendingPathComponent("tensorboard").path))
        try assertMetricsCSV(silent, try history(silent))

        let run = root.appendingPathComponent("refused").path
        try expectFailure(Self.trainArguments(epochs: 1) + ["--output", run, "--log-every-n-steps", "0"], mentioning: "--log-every-n-steps")
        try expectFailure(Self.trainArguments(epochs: 1) + ["--output", run, "--tensorboard", run + "/tb", "--no-tensorboard"],
                          mentioning: "--no-tensorboard")
        try expectFailure(["lr-find", "--data", "fashion-mnist", "--tensorboard", run], mentioning: "graft train options")
    }
}
