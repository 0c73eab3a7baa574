import Foundation
import XCTest

@testable import GraftReport

/// Compares the metrics with scikit-learn's, recorded by scripts/fixtures/make_report_fixtures.py.
final class MetricsParityTests: XCTestCase {
    private struct Fixture: Decodable {
        let sklearn: String
        let cases: [Case]
    }

    private struct SklearnScores: Decodable {
        let precision: Double
        let recall: Double
        let f1Score: Double
        let support: Double

        enum CodingKeys: String, CodingKey {
            case precision, recall, support
            case f1Score = "f1-score"
        }
    }

    private struct Case: Decodable {
        let name: String
        let class_names: [String]
        let labels: [Int]
        let predictions: [Int]
        let scores: [[Double]]
        let report: [String: Either]
        let texts: [String: String]
        let confusion_matrix: [[Int]]
        let accuracy: Double
        let top_k: [String: Double]
    }

    /// A report entry: per-class/average scores, or the bare accuracy number.
    private enum Either: Decodable {
        case scores(SklearnScores)
        case number(Double)

        init(from decoder: Decoder) throws {
            if let number = try? decoder.singleValueContainer().decode(Double.self) {
                self = .number(number)
            } else {
                self = .scores(try SklearnScores(from: decoder))
            }
        }
    }

    private let tolerance = 1e-12

    private func loadFixture() throws -> Fixture {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "Fixtures/metrics.json")
        return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }

    private func assertScores(_ mine: ClassScores, _ entry: Either?, _ context: String) {
        guard case .scores(let theirs)? = entry else { return XCTFail("\(context): missing in scikit-learn's report") }
        XCTAssertEqual(mine.precision, theirs.precision, accuracy: tolerance, "\(context) precision")
        XCTAssertEqual(mine.recall, theirs.recall, accuracy: tolerance, "\(context) recall")
        XCTAssertEqual(mine.f1Score, theirs.f1Score, accuracy: tolerance, "\(context) f1")
        XCTAssertEqual(Double(mine.support), theirs.support, "\(context) support")
    }

    func testReportMatchesScikitLearn() throws {
        let fixture = try loadFixture()
        XCTAssertEqual(fixture.cases.count, 6)
        for example in fixture.cases {
            let report = try ClassificationReport(
                predictions: example.predictions, labels: example.labels, classNames: example.class_names)
            XCTAssertEqual(report.classes.map(\.name), example.class_names)
            for row in report.classes {
                assertScores(row.scores, example.report[row.name], "\(example.name) \(row.name)")
            }
            assertScores(report.macroAverage, example.report["macro avg"], "\(example.name) macro")
            assertScores(report.weightedAverage, example.report["weighted avg"], "\(example.name) weighted")
            XCTAssertEqual(report.accuracy, example.accuracy, accuracy: tolerance, example.name)
            if case .number(let accuracy)? = example.report["accuracy"] {
                XCTAssertFalse(report.hasUnseenClass, example.name)
                XCTAssertEqual(report.accuracy, accuracy, accuracy: tolerance, example.name)
            } else {
                XCTAssertTrue(report.hasUnseenClass, "\(example.name): scikit-learn printed a micro average")
                assertScores(
                    ClassScores(
                        precision: report.accuracy, recall: report.accuracy, f1Score: report.accuracy,
                        support: report.sampleCount), example.report["micro avg"], "\(example.name) micro")
            }
        }
    }

    func testZeroDivisionCasesAreZero() throws {
        let example = try XCTUnwrap(try loadFixture().cases.first { $0.name.hasPrefix("bird never predicted") })
        let report = try ClassificationReport(
            predictions: example.predictions, labels: example.labels, classNames: example.class_names)
        XCTAssertEqual(report.classes[2].scores.precision, 0)  // bird: never predicted
        XCTAssertGreaterThan(report.classes[2].scores.support, 0)
        XCTAssertEqual(report.classes[4].scores.recall, 0)  // fish: never present
        XCTAssertEqual(report.classes[4].scores.support, 0)
    }

    func testTextReportIsIdenticalToScikitLearn() throws {
        for example in try loadFixture().cases {
            let report = try ClassificationReport(
                predictions: example.predictions, labels: example.labels, classNames: example.class_names)
            for digits in [2, 4] {
                XCTAssertEqual(
                    report.text(digits: digits), example.texts["\(digits)"], "\(example.name) digits \(digits)")
            }
        }
    }

    func testConfusionMatrixAndTopKMatchScikitLearn() throws {
        for example in try loadFixture().cases {
            let matrix = try ConfusionMatrix(
                predictions: example.predictions, labels: example.labels, classNames: example.class_names)
            XCTAssertEqual(matrix.counts, example.confusion_matrix, example.name)
            XCTAssertEqual(matrix.total, example.labels.count)
            for (k, expected) in example.top_k {
                let mine = try topKAccuracy(scores: example.scores, labels: example.labels, k: Int(k) ?? 0)
                XCTAssertEqual(mine, expected, accuracy: tolerance, "\(example.name) top-\(k)")
            }
        }
    }
}
