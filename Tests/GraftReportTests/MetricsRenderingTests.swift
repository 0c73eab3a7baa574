import Foundation
import XCTest

@testable import GraftReport

/// CSV/JSON/text renderings and the error paths of the metrics.
final class MetricsRenderingTests: XCTestCase {
    private let names = ["cat", "dog, large", "bird \"tweety\""]
    private let labels = [0, 0, 1, 1, 1, 2, 2, 0]
    private let predictions = [0, 1, 1, 1, 0, 2, 0, 0]

    func testConfusionMatrixRenderings() throws {
        let matrix = try ConfusionMatrix(predictions: predictions, labels: labels, classNames: names)
        XCTAssertEqual(matrix.counts, [[2, 1, 0], [1, 2, 0], [1, 0, 1]])
        let lines = matrix.text().split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 4)
        XCTAssertEqual(Set(lines.map(\.count)).count, 1, "all lines aligned to the same width:\n\(matrix.text())")
        XCTAssertEqual(lines[0], "true \\ predicted  cat  dog, large  bird \"tweety\"")
        XCTAssertEqual(lines[2], "      dog, large    1           2              0")
        XCTAssertEqual(
            matrix.csv(),
            "true\\predicted,cat,\"dog, large\",\"bird \"\"tweety\"\"\"\ncat,2,1,0\n\"dog, large\",1,2,0\n"
                + "\"bird \"\"tweety\"\"\",1,0,1\n")
        let decoded = try JSONDecoder().decode(ConfusionMatrix.self, from: Data(try matrix.json().utf8))
        XCTAssertEqual(decoded, matrix)
        XCTAssertEqual(matrix.rowNormalized()[2], [0.5, 0, 0.5])
    }

    func testReportCSVAndJSON() throws {
        let report = try ClassificationReport(predictions: predictions, labels: labels, classNames: names)
        let lines = report.csv().split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "class,precision,recall,f1-score,support")
        XCTAssertEqual(lines[1], "cat,0.5,0.6666666666666666,0.5714285714285715,3")
        XCTAssertEqual(lines[4], "accuracy,,,0.625,8")
        XCTAssertEqual(lines.count, 7)
        let decoded = try JSONDecoder().decode(ClassificationReport.self, from: Data(try report.json().utf8))
        XCTAssertEqual(decoded, report)
    }

    func testBadInputIsReportedNotTrapped() {
        XCTAssertThrowsError(try ConfusionMatrix(predictions: [0, 1], labels: [0], classNames: names)) {
            XCTAssertEqual($0 as? GraftReportError, .lengthMismatch(predictions: 2, labels: 1))
        }
        XCTAssertThrowsError(try ConfusionMatrix(predictions: [0, 3], labels: [0, 1], classNames: names)) {
            XCTAssertEqual("\($0)", "sample 1: prediction 3 is not a class index in 0..<3")
        }
        XCTAssertThrowsError(try ConfusionMatrix(predictions: [-1], labels: [0], classNames: names))
        XCTAssertThrowsError(try ConfusionMatrix(predictions: [], labels: [], classNames: names))
        XCTAssertThrowsError(try ConfusionMatrix(predictions: [0], labels: [0], classNames: []))
        XCTAssertThrowsError(try ConfusionMatrix(classNames: ["a", "b"], counts: [[1, 2]]))
        XCTAssertThrowsError(try topKAccuracy(scores: [[0.1, 0.9]], labels: [0], k: 0))
        XCTAssertThrowsError(try topKAccuracy(scores: [[0.1, 0.9], [0.3]], labels: [0, 1], k: 1)) {
            XCTAssertEqual($0 as? GraftReportError, .scoreCountMismatch(sample: 1, count: 1, classCount: 2))
        }
        XCTAssertThrowsError(try topKAccuracy(scores: [[0.1, 0.9]], labels: [2], k: 1))
    }
}
