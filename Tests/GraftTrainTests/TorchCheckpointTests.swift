import Foundation
import GraftIO
import GraftTensor
import GraftTestSupport
import GraftTrain
import XCTest

/// Training checkpoints cross between Graft and PyTorch 1.13 in both directions: after loading, both take the same
/// next step within 1e-6 (`CheckpointRig.Difference.scaled`) on every parameter and buffer.
final class TorchCheckpointTests: XCTestCase {
    /// Graft trains three steps and saves the tutorial dict; PyTorch loads it into torchvision's resnet18 and
    /// torch.optim, takes the next step, and lands where Graft's own next step lands.
    private func graftToPyTorch(_ kind: CheckpointRig.Kind) throws {
        let directory = try PackagePaths.temporaryDirectory(for: self, prefix: "graft-checkpoints")
        let batch = try CheckpointRig.Batch()
        try batch.write(to: directory.appendingPathComponent("batch.pth"))
        var rig = try CheckpointRig(kind)
        for _ in 0..<3 { try rig.step(batch) }
        let checkpoint = try TrainingCheckpoint(epoch: 3, model: rig.model, optimizer: rig.optimizer, scheduler: rig.scheduler,
                                                metrics: ["val_acc": 0.625], settings: FineTuneSettings())
        let file = directory.appendingPathComponent("checkpoint.pth")
        try checkpoint.save(to: file)

        let summary = try CheckpointRig.python(["next-step", kind.rawValue, file.path, directory.appendingPathComponent("batch.pth").path,
                                                directory.appendingPathComponent("torch_next.pth").path])
        XCTAssertEqual(try XCTUnwrap(summary["learning_rates"] as? [String]).compactMap(Double.init), rig.optimizer.groups.map(\.learningRate),
                       "torch steps with Graft's learning rates")
        try rig.step(batch)
        let difference = try CheckpointRig.difference(rig.model.stateDict(),
                                                      try CheckpointReader.read(contentsOf: directory.appendingPathComponent("torch_next.pth")))
        print("\(kind) Graft → PyTorch next step: max |Δ| \(difference.absolute), scaled \(difference.scaled) (\(difference.worstEntry))")
        XCTAssertLessThanOrEqual(difference.scaled, 1e-6, difference.worstEntry)
        XCTAssertEqual(summary["epoch"] as? Int, 3)
        XCTAssertEqual(summary["val_acc"] as? Double, 0.625)
        let saved = try XCTUnwrap(summary["saved_group_keys"] as? [[String]])
        let torchKeys = try XCTUnwrap(summary["torch_group_keys"] as? [[String]])
        XCTAssertEqual(saved, torchKeys.map { ($0 + ["graft_name"]).sorted() }, "every key torch.optim writes (initial_lr with a scheduler), plus Graft's name")
        if kind == .adam {
            XCTAssertEqual(summary["step_types"] as? [String], ["Tensor:torch.float32"])
            XCTAssertEqual(summary["scheduler_last_epoch"] as? Int, 3)
        }
        XCTAssertGreaterThan(try XCTUnwrap(summary["fresh_optimizer_distance"] as? Double), 1e-5, "the loaded optimizer state must matter")
        let check = try ReferencePython.run([CheckpointRig.checkerScript, file.path])
        XCTAssertEqual(check.status, 0, "pickle outside weights_only's set: \(check.output) \(check.errors)")
    }

    /// PyTorch trains three steps and saves the tutorial dict with torch.save; Graft loads it into its resnet18 and
    /// optimizer, takes the next step, and lands where PyTorch's next step lands.
    private func pyTorchToGraft(_ kind: CheckpointRig.Kind) throws {
        let directory = try PackagePaths.temporaryDirectory(for: self, prefix: "graft-checkpoints")
        let batch = try CheckpointRig.Batch()
        try batch.write(to: directory.appendingPathComponent("batch.pth"))
        let file = directory.appendingPathComponent("torch_checkpoint.pth")
        let next = directory.appendingPathComponent("torch_next.pth")
        let summary = try CheckpointRig.python(["train", kind.rawValue, "3", directory.appendingPathComponent("batch.pth").path, file.path, next.path])

        let checkpoint = try TrainingCheckpoint(contentsOf: file)
        XCTAssertEqual(checkpoint.epoch, 3)
        XCTAssertEqual(checkpoint.metrics, ["val_acc": 0.75])
        var rig = try CheckpointRig(kind, seed: 99)
        try rig.restore(checkpoint)
        let torchRates = try XCTUnwrap(summary["learning_rates"] as? [String]).compactMap(Double.init)
        XCTAssertEqual(rig.optimizer.groups.map(\.learningRate), torchRates, "lr taken from the checkpoint's param groups")
        if kind == .adam {
            XCTAssertEqual(rig.scheduler?.stepCount, 3)
            for (mine, theirs) in zip(try XCTUnwrap(rig.scheduler).learningRates, torchRates) { XCTAssertEqual(mine, theirs, accuracy: 1e-15) }
        }
        try rig.step(batch)
        let difference = try CheckpointRig.difference(rig.model.stateDict(), try CheckpointReader.read(contentsOf: next))
        print("\(kind) PyTorch → Graft next step: max |Δ| \(difference.absolute), scaled \(difference.scaled) (\(difference.worstEntry))")
        XCTAssertLessThanOrEqual(difference.scaled, 1e-6, difference.worstEntry)
    }

    func testAdamCheckpointFromGraftContinuesInPyTorch() throws { try graftToPyTorch(.adam) }
    func testSGDMomentumCheckpointFromGraftContinuesInPyTorch() throws { try graftToPyTorch(.sgd) }
    func testAdamCheckpointFromPyTorchContinuesInGraft() throws { try pyTorchToGraft(.adam) }
    func testSGDMomentumCheckpointFromPyTorchContinuesInGraft() throws { try pyTorchToGraft(.sgd) }
}
