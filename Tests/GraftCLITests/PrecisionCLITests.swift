import Foundation
import GraftTensor
import GraftTestSupport
import GraftTrain
import XCTest

/// `--precision` and `--device` on the command line: a bfloat16 run trains, checkpoints float32 weights and evaluates in
/// either precision; what this machine cannot run is refused with the reason.
final class PrecisionCLITests: XCTestCase {
    func testBFloat16TrainsAndEvaluates() throws {
        guard FileManager.default.fileExists(atPath: DataSpec.fashionMNISTDirectory) else {
            throw Prerequisite.missing("Debian's dataset-fashion-mnist is not installed")
        }
        let run = CLI.temporaryDirectory(self).appendingPathComponent("run")
        let train = try CLI.run(TrainResumeExportTests.trainArguments(epochs: 2) + ["--precision", "bf16", "--output", run.path])
        XCTAssertEqual(train.status, 0, train.errors)
        let best = try LoadedCheckpoint(contentsOf: run)
        for (name, tensor) in try best.model().stateDict() where tensor.dtype.isFloatingPoint {
            XCTAssertEqual(tensor.dtype, .float32, "\(name) is checkpointed in float32")
        }
        var accuracies: [String: Double] = [:]
        for precision in ["fp32", "bf16"] {
            let evaluation = try CLI.run(["evaluate", "--checkpoint", run.path, "--data", "fashion-mnist", "--limit", "40",
                                          "--precision", precision, "--device", "cpu"])
            XCTAssertEqual(evaluation.status, 0, evaluation.errors)
            accuracies[precision] = try Self.accuracy(in: evaluation.output)
        }
        print("evaluation of the bf16-trained run: \(accuracies)")
        if !Engine.isCUDABuilt {
            try expectFailure(["evaluate", "--checkpoint", run.path, "--data", "fashion-mnist", "--device", "cuda"], mentioning: "no CUDA support")
        }
        XCTAssertEqual(try XCTUnwrap(accuracies["bf16"]), try XCTUnwrap(accuracies["fp32"]), accuracy: 0.1,
                       "bfloat16 inference rounds but rarely changes a prediction")
    }

    func testWhatCannotRunIsRefusedWithTheReason() throws {
        try expectFailure(["train", "--data", "fashion-mnist", "--precision", "fp8"], mentioning: "'fp32', 'bf16' or 'fp16'")
        try expectFailure(["evaluate", "--checkpoint", "x", "--data", "y", "--precision", "half"], mentioning: "'fp32', 'bf16' or 'fp16'")
        if Engine.version.hasPrefix("1.") {
            try expectFailure(TrainResumeExportTests.trainArguments(epochs: 1) + ["--precision", "fp16"], mentioning: "on the CPU use bfloat16")
        }
    }

    /// The overall accuracy from `graft evaluate`'s classification report.
    static func accuracy(in output: String) throws -> Double {
        let line = try XCTUnwrap(output.split(separator: "\n").first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("accuracy") })
        return try XCTUnwrap(line.split(separator: " ").compactMap { Double($0) }.first)
    }
}
