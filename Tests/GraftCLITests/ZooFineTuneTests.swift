import Foundation
import GraftReport
import GraftTensor
import GraftTestSupport
import GraftTrain
import XCTest

/// New zoo families fine-tuned end to end by `graft train`: a transformer (swin_t, the cheapest of them) and a CNN
/// (convnext_tiny) train from scratch for a head-only epoch and an epoch with the last stage unfrozen on a few tiny
/// images, and each checkpoint loads back into Graft and, exported, into torchvision with the same outputs.
final class ZooFineTuneTests: XCTestCase {
    func testSwinTrainsAndItsCheckpointLoadsBackInGraftAndTorchvision() throws { try checkFineTuning("swin_t") }

    func testConvNeXtTrainsAndItsCheckpointLoadsBackInGraftAndTorchvision() throws { try checkFineTuning("convnext_tiny") }

    func checkFineTuning(_ name: String) throws {
        guard FileManager.default.fileExists(atPath: DataSpec.fashionMNISTDirectory) else {
            throw Prerequisite.missing("Debian's dataset-fashion-mnist is not installed")
        }
        let root = CLI.temporaryDirectory(self)
        let run = root.appendingPathComponent("run")
        let trained = try CLI.run(["train", "--data", "fashion-mnist", "--train-limit", "16", "--val-limit", "8", "--model", name,
                                   "--from-scratch", "--image-size", "32", "--epochs", "2", "--strategy", "progressive", "--head-epochs", "1", "--batch-size", "8",
                                   "--workers", "2", "--output", run.path])
        XCTAssertEqual(trained.status, 0, trained.errors)
        let epochs = try RunHistory(jsonData: Data(contentsOf: run.appendingPathComponent("history.json"))).epochs
        XCTAssertEqual(epochs.count, 2)
        XCTAssertTrue(epochs.allSatisfy { ($0.trainLoss?.isFinite ?? false) && ($0.validationLoss?.isFinite ?? false) }, "\(epochs)")
        XCTAssertEqual(epochs.last?.phase, "head + stage4")

        let model = try LoadedCheckpoint(contentsOf: run).model()
        XCTAssertEqual(model.name, name)
        model.eval()
        let logits = try withNoGrad { try model(Tensor.full([1, 3, 32, 32], value: 0.5)) }.floats()
        XCTAssertEqual(logits.count, 10)

        let exported = root.appendingPathComponent("model.pth")
        let export = try CLI.run(["export", "--checkpoint", run.path, "--format", "pth", "--output", exported.path])
        XCTAssertEqual(export.status, 0, export.errors)
        let script = """
        import sys, torch, torchvision
        m = getattr(torchvision.models, sys.argv[2])(num_classes=10)
        m.load_state_dict(torch.load(sys.argv[1]), strict=True)
        m.eval()
        with torch.no_grad():
            print(" ".join(repr(float(v)) for v in m(torch.full((1, 3, 32, 32), 0.5))[0]))
        """
        try ReferencePython.require(modules: ["torch", "torchvision"])
        let python = try ReferencePython.run(code: script, arguments: [exported.path, name])
        XCTAssertEqual(python.status, 0, python.errors)
        let reference = python.output.split(separator: " ").compactMap { Float($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        XCTAssertEqual(reference.count, 10)
        let scale = reference.map(abs).max() ?? 1
        for (a, b) in zip(logits, reference) { XCTAssertEqual(a, b, accuracy: 1e-4 * max(scale, 1)) }
    }
}
