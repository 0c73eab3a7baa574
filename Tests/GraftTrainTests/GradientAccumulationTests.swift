import Foundation
import GraftIO
import GraftNN
import GraftTensor
import GraftTestSupport
import GraftTrain
import XCTest

/// `Learner.accumulateBatches`: 3 accumulated batches of 8 step like one batch of 24 — and the epoch's leftover batch
/// steps alone, like the 24-batch loader's short last batch — within 1e-6, against Graft without accumulation and
/// against torch (BatchNorm frozen, so batch composition cannot matter). With clipping, the accumulated gradient is
/// clipped once, before the step, and a per-batch schedule steps with the optimizer.
final class GradientAccumulationTests: XCTestCase {
    private func fit(batchSize: Int, accumulate: Int, clipTo maxNorm: Double? = nil, trainingStep: TrainingStep? = nil) throws -> (Learner, steps: Int) {
        let counter = StepCounter()
        let clipping = try maxNorm.map { try GradientClipping(maxNorm: $0) }
        let learner = try SmallFashionLearner.make(batchSize: batchSize, callbacks: (clipping.map { [$0] } ?? []) + [counter])
        learner.batchNorm = .frozen
        learner.accumulateBatches = accumulate
        learner.trainingStep = trainingStep
        learner.scheduleInterval = .batch
        try learner.fit()
        XCTAssertEqual(learner.scheduler.stepCount, counter.steps, "a per-batch schedule counts optimizer steps")
        if let clipping, let maxNorm { XCTAssertGreaterThan(try XCTUnwrap(clipping.lastNorm), maxNorm, "the limit is low enough to clip") }
        return (learner, counter.steps)
    }

    func testAccumulatedBatchesStepLikeOneLargerBatch() throws {
        for maxNorm in [nil, 0.05] as [Double?] {
            let (accumulated, accumulatedSteps) = try fit(batchSize: 8, accumulate: 3, clipTo: maxNorm)
            let (large, largeSteps) = try fit(batchSize: 24, accumulate: 1, clipTo: maxNorm)
            XCTAssertEqual(accumulated.trainLoader.batchCount, 4)
            XCTAssertEqual(accumulatedSteps, 2, "a step per 3 batches and one for the leftover batch")
            XCTAssertEqual(largeSteps, 2)
            let difference = try CheckpointRig.difference(accumulated.model.stateDict(), try StateDict(tensors: large.model.stateDict()))
            print("accumulation (clip \(maxNorm.map { "\($0)" } ?? "none")) vs one larger batch: max |Δ| \(difference.absolute) (\(difference.worstEntry))")
            XCTAssertLessThanOrEqual(difference.scaled, 1e-6, difference.worstEntry)
        }
    }

    func testAccumulationMatchesOneTorchStepPerGroup() throws {
        try ReferencePython.require(modules: ["torch", "torchvision"])
        let directory = try PackagePaths.temporaryDirectory(for: self, prefix: "graft-checkpoints")
        defer { try? FileManager.default.removeItem(at: directory) }
        var images: [Tensor] = [], labels: [Tensor] = []
        let recording: TrainingStep = { learner, batch in
            images.append(batch.inputs)
            labels.append(batch.labels)
            let logits = try learner.forward(batch)
            return StepOutput(loss: try learner.loss(logits, batch.labels), logits: logits)
        }
        let initial = try SmallFashionLearner.make(batchSize: 8).model.stateDict().map { ($0.0, try $0.1.clone()) }
        try TorchPthWriter.write(try StateDict(tensors: initial), to: directory.appendingPathComponent("initial.pth"))
        let (learner, _) = try fit(batchSize: 8, accumulate: 3, trainingStep: recording)
        try TorchPthWriter.write(try StateDict(tensors: [("x", Tensor.cat(images)), ("y", Tensor.cat(labels))]),
                                 to: directory.appendingPathComponent("batches.pth"))
        let twin = """
        import sys, torch, torchvision
        d = sys.argv[1]
        model = torchvision.models.resnet18(num_classes=10)
        model.load_state_dict(torch.load(d + "/initial.pth"))
        for name, p in model.named_parameters():
            p.requires_grad_(name.startswith("layer4.") or name.startswith("fc."))
        model.eval()
        opt = torch.optim.SGD([{"params": model.layer4.parameters(), "lr": 1e-2}, {"params": model.fc.parameters(), "lr": 1e-1}], momentum=0.9)
        data = torch.load(d + "/batches.pth")
        for start in range(0, data["x"].shape[0], 24):
            opt.zero_grad()
            torch.nn.functional.cross_entropy(model(data["x"][start:start + 24]), data["y"][start:start + 24]).backward()
            opt.step()
        torch.save(model.state_dict(), d + "/torch.pth")
        """
        let run = try ReferencePython.run(code: twin, arguments: [directory.path])
        XCTAssertEqual(run.status, 0, run.errors)
        let difference = try CheckpointRig.difference(learner.model.stateDict(), try CheckpointReader.read(contentsOf: directory.appendingPathComponent("torch.pth")))
        print("accumulation vs torch one step per 24 images: max |Δ| \(difference.absolute), scaled \(difference.scaled) (\(difference.worstEntry))")
        XCTAssertLessThanOrEqual(difference.scaled, 1e-6, difference.worstEntry)
    }

    func testAccumulationBelowOneIsAnErrorNamingTheSetting() throws {
        XCTAssertThrowsError(try FineTuneSettings(accumulateBatches: 0).validate()) {
            guard case TrainingError.invalidSetting(let name, _) = $0 else { return XCTFail("\($0)") }
            XCTAssertEqual(name, "accumulateBatches")
        }
        XCTAssertThrowsError(try FineTuneSettings(clipGradNorm: -1).validate()) {
            guard case TrainingError.invalidSetting(let name, _) = $0 else { return XCTFail("\($0)") }
            XCTAssertEqual(name, "clipGradNorm")
        }
    }
}
