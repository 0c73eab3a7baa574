import Foundation
import XCTest

@testable import GraftReport

/// The run history's JSON round trip and best-epoch rule, and the self-contained HTML page.
final class RunReportTests: XCTestCase {
    func testHistoryRoundTripsThroughJSONIncludingNaN() throws {
        let history = PlotTests.sampleHistory()
        let decoded = try RunHistory(jsonData: try history.jsonData())
        XCTAssertEqual(decoded.epochs.count, 8)
        XCTAssertTrue(decoded.epochs[4].validationLoss?.isNaN == true)
        XCTAssertEqual(decoded.epochs[3].learningRates, history.epochs[3].learningRates)
        XCTAssertEqual(decoded.groupNames, ["head", "stage 6"])
        XCTAssertEqual(decoded.model, "efficientnet-lite0")
    }

    func testBestEpochAndResumeReplacement() {
        var history = PlotTests.sampleHistory()
        XCTAssertEqual(history.bestEpoch?.epoch, 7, "highest validation accuracy")
        XCTAssertEqual(history.totalSeconds, 8 * 30 + 36, accuracy: 1e-9)
        history.record(EpochRecord(epoch: 6, phase: "resumed", validationAccuracy: 0.99))
        XCTAssertEqual(history.epochs.map(\.epoch), [1, 2, 3, 4, 5, 6], "a resumed epoch replaces the later records")
        XCTAssertEqual(history.bestEpoch?.phase, "resumed")
        let lossOnly = RunHistory(
            model: "m", data: "d",
            epochs: [
                EpochRecord(epoch: 1, phase: "p", validationLoss: 0.5),
                EpochRecord(epoch: 2, phase: "p", validationLoss: 0.4),
            ])
        XCTAssertEqual(lossOnly.bestEpoch?.epoch, 2)
        XCTAssertNil(RunHistory(model: "m", data: "d").bestEpoch)
    }

    func testHTMLPageHoldsSummaryTablesAndFigures() throws {
        let labels = [0, 0, 1, 1, 1, 2, 0, 1]
        let predictions = [0, 1, 1, 1, 0, 2, 0, 1]
        let names = ["cat", "dog", "<bird>"]
        let report = try ClassificationReport(predictions: predictions, labels: labels, classNames: names)
        let matrix = try ConfusionMatrix(predictions: predictions, labels: labels, classNames: names)
        let page = RunReport(
            title: "Fine-tuning run", history: PlotTests.sampleHistory(), classificationReport: report,
            confusionMatrix: matrix, details: [RunDetail("Optimizer", "AdamW & cosine")]
        ).html()

        XCTAssertTrue(page.hasPrefix("<!DOCTYPE html>"))
        for fragment in [
            "<h2>Summary</h2>", "<th>Model</th><td>efficientnet-lite0</td>",
            "<th>Best epoch</th><td>epoch 7 (unfreeze stage 6), val accuracy 86.25%, val loss 0.4000</td>",
            "<th>Training time</th><td>4m 36s</td>", "<th>Optimizer</th><td>AdamW &amp; cosine</td>",
            "<th>lr head</th><th>lr stage 6</th>", "<td>7 ★</td>", "<td>7.50e-05</td>",
            "<h2>Classification report</h2>", "<td>cat</td><td>0.6667</td><td>0.6667</td><td>0.6667</td><td>3</td>",
            "<td>accuracy</td><td></td><td></td><td>0.7500</td><td>8</td>", "<td>weighted avg</td>",
            "<th>true \\ predicted</th><th>cat</th><th>dog</th><th>&lt;bird&gt;</th>",
            "<td>dog</td><td>1</td><td>3</td><td>0</td>",
            "<title>Learning curves</title>", "<title>Confusion matrix</title>",
        ] {
            XCTAssertTrue(page.contains(fragment), "missing: \(fragment)")
        }
        XCTAssertFalse(page.contains("<bird>"), "class names are escaped")
        XCTAssertFalse(page.contains("src=\"http"), "self-contained")

        let directory = try PythonProbe.scratchDirectory("html")
        let file = directory.appendingPathComponent("report.html")
        try page.write(to: file, atomically: true, encoding: .utf8)
        let output = try PythonProbe.run(
            """
            import sys
            from html.parser import HTMLParser
            VOID = {'meta', 'br', 'img', 'link', 'input', 'hr'}
            class Balance(HTMLParser):
                def __init__(self):
                    super().__init__(); self.stack = []; self.errors = []; self.counts = {}
                def handle_starttag(self, tag, attrs):
                    self.counts[tag] = self.counts.get(tag, 0) + 1
                    if tag not in VOID: self.stack.append(tag)
                def handle_startendtag(self, tag, attrs):
                    self.counts[tag] = self.counts.get(tag, 0) + 1
                def handle_endtag(self, tag):
                    if not self.stack or self.stack.pop() != tag: self.errors.append(tag)
            parser = Balance(); parser.feed(open(sys.argv[1]).read()); parser.close()
            print(len(parser.errors) + len(parser.stack), parser.counts.get('table', 0), parser.counts.get('svg', 0))
            """, arguments: [file.path])
        XCTAssertEqual(
            output.trimmingCharacters(in: .whitespacesAndNewlines), "0 4 2",
            "balanced tags; summary, epochs, report and confusion tables; two inline SVGs")
    }

    func testRunDirectoryFilesAreComplete() throws {
        let matrix = try ConfusionMatrix(predictions: [0, 1, 1], labels: [0, 1, 0], classNames: ["a", "b"])
        let report = RunReport(
            title: "t", history: PlotTests.sampleHistory(),
            classificationReport: ClassificationReport(confusionMatrix: matrix),
            confusionMatrix: matrix)
        let files = try report.files(pixelsPerUnit: 1)
        XCTAssertEqual(
            files.map(\.name),
            [
                "report.html", "learning_curves.svg", "learning_curves.png", "classification_report.txt",
                "classification_report.csv", "classification_report.json", "confusion_matrix.txt",
                "confusion_matrix.csv",
                "confusion_matrix.json", "confusion_matrix.svg", "confusion_matrix.png",
            ])
        for file in files where file.name.hasSuffix(".png") {
            XCTAssertEqual(Array(file.contents.prefix(4)), [0x89, 0x50, 0x4E, 0x47], file.name)
        }
        let text = try XCTUnwrap(files.first { $0.name == "classification_report.txt" })
        XCTAssertTrue(
            String(decoding: text.contents, as: UTF8.self).contains(
                "    accuracy                         0.6667         3"))
        let bare = try RunReport(title: "t", history: RunHistory(model: "m", data: "d")).files()
        XCTAssertEqual(bare.map(\.name), ["report.html"])
    }

    func testPageWithoutEvaluationStillRenders() {
        let page = RunReport(title: "empty", history: RunHistory(model: "m", data: "d")).html()
        XCTAssertTrue(page.contains("<th>Epochs</th><td>0</td>"))
        XCTAssertFalse(page.contains("<svg"))
    }
}
