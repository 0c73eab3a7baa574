import Foundation
import GraftReport
import GraftTensor
import GraftTestSupport
import GraftTrain
import XCTest

/// `graft train` end to end: kill -9 mid-run and `--resume` give the uninterrupted run's result, and the exported
/// state dict loads into torchvision (and the ONNX export into ONNX Runtime) with identical outputs.
final class TrainResumeExportTests: XCTestCase {
    static func trainArguments(epochs: Int = 3) -> [String] {
        ["train", "--data", "fashion-mnist", "--train-limit", "80", "--val-limit", "40", "--model", "resnet18", "--from-scratch",
         "--image-size", "32", "--epochs", "\(epochs)", "--strategy", "progressive", "--unfreeze-depth", "2", "--head-epochs", "1", "--batch-size", "16",
         "--workers", "2"]
    }

    override func setUpWithError() throws {
        guard FileManager.default.fileExists(atPath: DataSpec.fashionMNISTDirectory) else {
            throw Prerequisite.missing("Debian's dataset-fashion-mnist is not installed")
        }
    }

    func history(_ run: URL) throws -> RunHistory {
        try RunHistory(jsonData: Data(contentsOf: run.appendingPathComponent("history.json")))
    }

    func completedEpochs(_ run: URL) -> Int {
        (try? LoadedCheckpoint(contentsOf: run.appendingPathComponent("checkpoints/last.safetensors")).metadata.progress.nextEpoch) ?? 0
    }

    func testKilledRunResumesToTheSameResult() throws {
        let root = CLI.temporaryDirectory(self)
        let reference = root.appendingPathComponent("reference"), interrupted = root.appendingPathComponent("interrupted")
        let full = try CLI.run(Self.trainArguments() + ["--output", reference.path])
        XCTAssertEqual(full.status, 0, full.errors)

        let process = try CLI.start(Self.trainArguments() + ["--output", interrupted.path], for: self)
        let deadline = Date().addingTimeInterval(300)
        while completedEpochs(interrupted) < 2 && process.isRunning && Date() < deadline { usleep(20_000) }
        XCTAssertTrue(process.isRunning, "the run finished before it could be killed")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        XCTAssertEqual(completedEpochs(interrupted), 2)
        XCTAssertNoThrow(try LoadedCheckpoint(contentsOf: interrupted.appendingPathComponent("checkpoints/best.safetensors")))

        let resumed = try CLI.run(["train", "--resume", interrupted.path])
        XCTAssertEqual(resumed.status, 0, resumed.errors)
        XCTAssertTrue(resumed.output.contains("resumed after epoch 2"), resumed.output)
        let a = try history(reference).epochs, b = try history(interrupted).epochs
        XCTAssertEqual(b.count, 3)
        XCTAssertEqual(a.last?.validationAccuracy, b.last?.validationAccuracy)
        XCTAssertEqual(try XCTUnwrap(a.last?.validationLoss), try XCTUnwrap(b.last?.validationLoss), accuracy: 1e-5)
        XCTAssertEqual(try XCTUnwrap(a.last?.trainLoss), try XCTUnwrap(b.last?.trainLoss), accuracy: 1e-5)

        // --epochs extends the finished run: same phase plan, the cosine schedule re-planned for 5 epochs.
        let extended = try CLI.run(["train", "--resume", reference.path, "--epochs", "5"])
        XCTAssertEqual(extended.status, 0, extended.errors)
        let c = try history(reference).epochs
        XCTAssertEqual(c.map(\.epoch), [1, 2, 3, 4, 5])
        XCTAssertEqual(Array(c.prefix(3)), a, "the first three epochs are kept as they were")
        XCTAssertEqual(c[3].phase, "head + layer4 + layer3")
        let headRate = try XCTUnwrap(c[3].learningRates.first)
        let defaultHeadRate = FineTuneSettings().headLearningRate
        XCTAssertEqual(headRate, defaultHeadRate * 0.5 * (1 + cos(Double.pi * 3 / 5)), accuracy: 1e-12, "head lr at step 3 of a 5-epoch cosine")
        XCTAssertEqual(completedEpochs(reference), 5)
        let refused = try CLI.run(["train", "--resume", reference.path, "--lr", "0.1"])
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.errors.contains("only --epochs"), refused.errors)
    }

    func testExportedStateDictLoadsInTorchvisionWithTheSameOutputs() throws {
        let root = CLI.temporaryDirectory(self)
        let run = root.appendingPathComponent("run")
        let trained = try CLI.run(Self.trainArguments(epochs: 1) + ["--output", run.path])
        XCTAssertEqual(trained.status, 0, trained.errors)
        for file in ["report.html", "learning_curves.png", "confusion_matrix.svg", "classification_report.json", "history.json"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: run.appendingPathComponent(file).path), file)
        }
        let exported = root.appendingPathComponent("model.pth")
        let export = try CLI.run(["export", "--checkpoint", run.path, "--format", "pth", "--output", exported.path])
        XCTAssertEqual(export.status, 0, export.errors)

        let model = try LoadedCheckpoint(contentsOf: run).model()
        model.eval()
        let input = try Tensor.full([1, 3, 32, 32], value: 0.5)
        let logits = try withNoGrad { try model(input) }.floats()

        let script = """
        import sys, torch, torchvision
        m = torchvision.models.resnet18(num_classes=10)
        m.load_state_dict(torch.load(sys.argv[1]), strict=True)
        m.eval()
        with torch.no_grad():
            print(" ".join(repr(float(v)) for v in m(torch.full((1, 3, 32, 32), 0.5))[0]))
        """
        try ReferencePython.require(modules: ["torch", "torchvision"])
        let python = try ReferencePython.run(code: script, arguments: [exported.path])
        XCTAssertEqual(python.status, 0, python.errors)
        let reference = python.output.split(separator: " ").compactMap { Float($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        XCTAssertEqual(reference.count, 10)
        for (a, b) in zip(logits, reference) { XCTAssertEqual(a, b, accuracy: 1e-4) }

        // The same checkpoint as ONNX: ONNX Runtime gives the same logits; the metadata carries the run's preprocessing.
        let onnx = root.appendingPathComponent("model.onnx")
        let onnxExport = try CLI.run(["export", "--checkpoint", run.path, "--format", "onnx", "--output", onnx.path])
        XCTAssertEqual(onnxExport.status, 0, onnxExport.errors)
        let onnxInput = ONNXRuntimeReference.Input(name: "input", shape: [1, 3, 32, 32], values: .float32(Array(repeating: 0.5, count: 3 * 32 * 32)))
        let runtime = try ONNXRuntimeReference.run(model: onnx, feeds: [[onnxInput]], scratch: root)
        XCTAssertEqual(runtime.outputs.first?.count, 10)
        for (a, b) in zip(logits, runtime.outputs.first ?? []) { XCTAssertEqual(a, b, accuracy: 1e-4) }
        XCTAssertEqual(runtime.metadata["graft.input_size"], "32")
        XCTAssertEqual(runtime.metadata["graft.class_names"].map { $0.contains("Ankle boot") }, true)
    }
}
