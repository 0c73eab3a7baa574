import Foundation
import Graft
import GraftTestSupport
import XCTest

/// Runs the built `quick-start` example as a user would: on an ImageFolder of real PNG files, with the offline weights.
final class QuickStartTests: XCTestCase {
    /// Measured on the 2-core development machine: best validation accuracy 0.8133 (seeded, so every run there gives the
    /// same). 0.78 is far above chance (0.10) and fails when training,
    /// the pretrained weights or the preprocessing break, with room for other CPUs' floating-point differences.
    static let minimumAccuracy = 0.78

    func testQuickStartFineTunesMobileNetOnFashionMNISTFolder() throws {
        let program = try PackagePaths.builtProgram("quick-start")
        try OfflineWeights.require("mobilenet_v2")
        let data = try FashionMNISTFolder.write(
            to: PackagePaths.temporaryDirectory(for: self, prefix: "graft-quick-start"), trainPerClass: 100, validationPerClass: 30)

        let run = try Subprocess.run(program, arguments: [data.train.path, data.validation.path],
                                     environment: ["GRAFT_ASSETS": OfflineAsset.directory.path], timeLimit: 240)

        XCTAssertEqual(run.status, 0, "quick-start failed:\n\(run.output.suffix(2000))\n\(run.errors)")
        let lines = run.output.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines.contains { $0.hasPrefix("epoch 6/6 [head + stage6]") }, "six epochs, the last stage unfrozen:\n\(run.output)")
        for name in FashionMNISTFolder.classes {
            XCTAssertTrue(lines.contains { $0.trimmingCharacters(in: .whitespaces).hasPrefix(name + " ") }, "report row for \(name)")
        }
        let last = try XCTUnwrap(lines.last)
        let match = try XCTUnwrap(last.wholeMatch(of: /best validation accuracy ([01]\.\d{4})/), "last line: \(last)")
        let accuracy = try XCTUnwrap(Double(match.1))
        XCTAssertGreaterThanOrEqual(accuracy, Self.minimumAccuracy, run.output)
    }
}
