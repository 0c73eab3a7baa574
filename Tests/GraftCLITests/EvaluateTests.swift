import Foundation
import GraftTrain
import GraftTestSupport
import XCTest

/// `graft evaluate` on the data a run validated on gives the run's own final report.
final class EvaluateTests: XCTestCase {
    func testEvaluateReproducesTheRunsValidationReport() throws {
        guard FileManager.default.fileExists(atPath: DataSpec.fashionMNISTDirectory) else {
            throw Prerequisite.missing("Debian's dataset-fashion-mnist is not installed")
        }
        let run = CLI.temporaryDirectory(self).appendingPathComponent("run")
        let train = try CLI.run(TrainResumeExportTests.trainArguments(epochs: 2) + ["--output", run.path])
        XCTAssertEqual(train.status, 0, train.errors)
        let report = try String(contentsOf: run.appendingPathComponent("classification_report.txt"), encoding: .utf8)

        let evaluation = try CLI.run(["evaluate", "--checkpoint", run.path, "--data", "fashion-mnist", "--limit", "40"])
        XCTAssertEqual(evaluation.status, 0, evaluation.errors)
        XCTAssertTrue(evaluation.output.contains(report.trimmingCharacters(in: .newlines)),
                      "same images, same best checkpoint, same report:\n\(report)\n---\n\(evaluation.output)")
        XCTAssertTrue(evaluation.output.contains("top-5 accuracy"), evaluation.output)
    }
}
