import Foundation
import GraftIO
import GraftModels
import GraftTensor
import GraftTrain
import GraftTestSupport
import XCTest

/// Saving and loading `TrainingCheckpoint` in Swift alone: exact round trips in both formats, clear errors for damaged
/// files, and refusal (naming the mismatch) of checkpoints from another architecture, group layout or optimizer.
final class TrainingCheckpointTests: XCTestCase {
    private var settings: FineTuneSettings {
        var settings = FineTuneSettings()
        settings.epochs = 9
        settings.headLearningRate = 3e-3
        return settings
    }

    /// A rig trained two steps and its checkpoint.
    private func trained(_ kind: CheckpointRig.Kind) throws -> (CheckpointRig, TrainingCheckpoint) {
        var rig = try CheckpointRig(kind)
        let batch = try CheckpointRig.Batch()
        for _ in 0..<2 { try rig.step(batch) }
        let checkpoint = try TrainingCheckpoint(epoch: 2, model: rig.model, optimizer: rig.optimizer, scheduler: rig.scheduler,
                                                metrics: ["val_acc": 0.5, "train_loss": 1.25], settings: settings)
        return (rig, checkpoint)
    }

    private func assertSame(_ loaded: TrainingCheckpoint, _ original: TrainingCheckpoint, file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(loaded.epoch, original.epoch, file: file, line: line)
        XCTAssertEqual(loaded.metrics, original.metrics, file: file, line: line)
        XCTAssertEqual(loaded.settingsJSON, original.settingsJSON, file: file, line: line)
        XCTAssertEqual(try loaded.settings(as: FineTuneSettings.self), settings, file: file, line: line)
        XCTAssertEqual(loaded.scheduler, original.scheduler, file: file, line: line)
        XCTAssertEqual(loaded.optimizerState, original.optimizerState, file: file, line: line)
        XCTAssertEqual(loaded.modelState.map(\.0), original.modelState.map(\.0), file: file, line: line)
        for ((name, mine), (_, theirs)) in zip(loaded.modelState, original.modelState) {
            XCTAssertEqual(try StoredTensor(mine), try StoredTensor(theirs), name, file: file, line: line)
        }
    }

    func testBothFormatsRoundTripExactlyAndRestoreTheSameState() throws {
        for kind in [CheckpointRig.Kind.adam, .sgd] {
            let (rig, checkpoint) = try trained(kind)
            let directory = try PackagePaths.temporaryDirectory(for: self, prefix: "graft-checkpoints")
            for name in ["last.safetensors", "last.pth"] {
                let url = directory.appendingPathComponent(name)
                try checkpoint.save(to: url)
                let loaded = try TrainingCheckpoint(contentsOf: url)
                try assertSame(loaded, checkpoint)
                var fresh = try CheckpointRig(kind, seed: 99)
                try fresh.restore(loaded)
                XCTAssertEqual(try fresh.optimizer.torchStateDict(initialLearningRates: fresh.scheduler?.baseLearningRates),
                               try rig.optimizer.torchStateDict(initialLearningRates: rig.scheduler?.baseLearningRates), "\(kind) \(name)")
                XCTAssertEqual(try fresh.model.stateDict().map { try StoredTensor($0.1) }, try rig.model.stateDict().map { try StoredTensor($0.1) })
            }
            XCTAssertEqual(CheckpointReader.detectFormat(Array(try Data(contentsOf: directory.appendingPathComponent("last.safetensors")))), .safetensors)
        }
    }

    func testFormatFollowsTheExtensionUnlessGiven() throws {
        let (_, checkpoint) = try trained(.sgd)
        let directory = try PackagePaths.temporaryDirectory(for: self, prefix: "graft-checkpoints")
        let odd = directory.appendingPathComponent("checkpoint.bin")
        XCTAssertThrowsError(try checkpoint.save(to: odd)) { XCTAssertTrue("\($0)".contains(".safetensors"), "\($0)") }
        try checkpoint.save(to: odd, format: .pytorch)
        XCTAssertEqual(CheckpointReader.detectFormat(Array(try Data(contentsOf: odd))), .torchZip)
        XCTAssertEqual(try TrainingCheckpoint(contentsOf: odd).epoch, 2)
    }

    func testOtherSchedulesRoundTripAsGraftJSON() throws {
        var (rig, checkpoint) = try trained(.sgd)
        let schedule = try StepDecaySchedule(stepSize: 2, gamma: 0.5)
        rig.scheduler = try LearningRateScheduler(schedule: .step(schedule), baseLearningRates: [1e-4, 1e-3], stepCount: 1)
        checkpoint.scheduler = rig.scheduler
        let url = try PackagePaths.temporaryDirectory(for: self, prefix: "graft-checkpoints").appendingPathComponent("step.pth")
        try checkpoint.save(to: url)
        XCTAssertEqual(try TrainingCheckpoint(contentsOf: url).scheduler, rig.scheduler)
        guard case .string? = try CheckpointReader.readObject(contentsOf: url)["scheduler_state_dict"]?["graft_scheduler"] else {
            return XCTFail("a non-cosine scheduler is stored as Graft JSON")
        }
    }

    func testDamagedFilesGiveClearErrors() throws {
        let (_, checkpoint) = try trained(.sgd)
        let directory = try PackagePaths.temporaryDirectory(for: self, prefix: "graft-checkpoints")
        for name in ["c.pth", "c.safetensors"] {
            let url = directory.appendingPathComponent(name)
            try checkpoint.save(to: url)
            let bytes = try Data(contentsOf: url)
            let truncated = directory.appendingPathComponent("truncated-" + name)
            try bytes.prefix(bytes.count / 2).write(to: truncated)
            XCTAssertThrowsError(try TrainingCheckpoint(contentsOf: truncated)) { error in
                XCTAssertTrue(error is GraftIOError, "\(error)")
                XCTAssertTrue("\(error)".contains(truncated.path), "names the file: \(error)")
            }
            var flipped = bytes
            for offset in stride(from: 100, to: 400, by: 7) { flipped[offset] ^= 0xFF }
            let corrupted = directory.appendingPathComponent("corrupted-" + name)
            try flipped.write(to: corrupted)
            XCTAssertThrowsError(try TrainingCheckpoint(contentsOf: corrupted), name) { print("\(name) corrupted: \($0)") }
        }
        let weightsOnly = directory.appendingPathComponent("weights.pth")
        try TorchPthWriter.write(try StateDict(tensors: checkpoint.modelState), to: weightsOnly)
        XCTAssertThrowsError(try TrainingCheckpoint(contentsOf: weightsOnly)) { error in
            XCTAssertTrue("\(error)".contains("no 'epoch' entry"), "\(error)")
        }
    }

    func testAnotherArchitectureIsRejectedByName() throws {
        let (_, checkpoint) = try trained(.adam)
        let fiveClasses = try Models.make("resnet18", numClasses: 5)
        let other = try CheckpointRig(.adam)
        XCTAssertThrowsError(try checkpoint.restore(model: fiveClasses, optimizer: other.optimizer)) { error in
            XCTAssertTrue("\(error)".contains("shape mismatch for fc.weight: model [5, 512], checkpoint [3, 512]"), "\(error)")
        }
        let mobileNet = try Models.make("mobilenet_v2", numClasses: 3)
        XCTAssertThrowsError(try checkpoint.restore(model: mobileNet, optimizer: other.optimizer)) { error in
            XCTAssertTrue("\(error)".contains("not in the model: layer4.1.bn2.weight"), "\(error)")
        }
    }

    /// `group` named `layer4` (the checkpoint's first group) with other parameters.
    private func renamed(_ group: ParameterGroup, parameters: [Tensor]) -> ParameterGroup {
        ParameterGroup(name: "layer4", parameters: parameters, learningRate: group.learningRate)
    }

    func testAnotherGroupLayoutOrOptimizerIsRejectedByName() throws {
        let (_, checkpoint) = try trained(.adam)
        let rig = try CheckpointRig(.adam, seed: 99)
        let before = try rig.optimizer.torchStateDict()
        let groups = rig.optimizer.groups
        let layer3 = ParameterGroup(name: "layer3", parameters: rig.model.namedParameters().filter { $0.0.hasPrefix("layer3.") }.map(\.1), learningRate: 1e-5)
        let cases: [(any TorchStateDictConvertible, String)] = [
            (try Adam(groups: [layer3] + groups), "the checkpoint has 2 parameter groups ('layer4', 'fc'), this Adam has 3 ('layer3', 'layer4', 'fc')"),
            (try Adam(groups: groups.reversed()), "group 0 ('fc') is 'layer4' in the checkpoint"),
            (try Adam(groups: [renamed(layer3, parameters: layer3.parameters + groups[0].parameters), groups[1]]),
             "group 0 ('layer4') has 15 parameters in the checkpoint and 30 here"),
            (try Adam(groups: [renamed(layer3, parameters: layer3.parameters), groups[1]]),
             "exp_avg has shape [512, 256, 3, 3], the parameter [256, 128, 3, 3]"),
            (try Adam(groups: groups, beta2: 0.99), "the checkpoint's betas is (0.9, 0.999), this Adam's is (0.9, 0.99)"),
            (try SGD(groups: groups, momentum: 0.9), "the setting 'betas', which SGD does not have"),
        ]
        for (optimizer, message) in cases {
            XCTAssertThrowsError(try optimizer.loadTorchStateDict(checkpoint.optimizerState), message) { error in
                XCTAssertTrue("\(error)".contains(message), "expected “\(message)” in: \(error)")
            }
        }
        XCTAssertThrowsError(try rig.optimizer.loadTorchStateDict(.dict([]))) { XCTAssertTrue("\($0)".contains("no 'state' dict"), "\($0)") }
        XCTAssertEqual(try rig.optimizer.torchStateDict(), before, "a refused state changes nothing")
    }

    func testTheCycledMomentumTravelsThroughTheTorchStateDict() throws {
        func groups() throws -> [ParameterGroup] {
            try [ParameterGroup(name: "a", parameters: [Tensor([1, 2], shape: [2])], learningRate: 0.1),
                 ParameterGroup(name: "b", parameters: [Tensor([3], shape: [1])], learningRate: 0.01)]
        }
        let adam = try Adam(groups: groups())
        try adam.setMomentum(0.87)
        let restoredAdam = try Adam(groups: groups())
        try restoredAdam.loadTorchStateDict(adam.torchStateDict())
        XCTAssertEqual(restoredAdam.beta1, 0.87, "betas[0] is taken from the state dict, as torch does")
        XCTAssertEqual(try restoredAdam.torchStateDict(), try adam.torchStateDict())
        let sgd = try SGD(groups: groups(), momentum: 0.9, nesterov: true)
        try sgd.setMomentum(0.91)
        let restoredSGD = try SGD(groups: groups(), momentum: 0.95, nesterov: true)
        try restoredSGD.loadTorchStateDict(sgd.torchStateDict())
        XCTAssertEqual(restoredSGD.momentum, 0.91)

        /// The SGD's state dict with each group's momentum replaced.
        func stateDict(momenta: [Double]) throws -> PickleValue {
            guard case .dict(var root) = try sgd.torchStateDict(), let index = root.firstIndex(where: { $0.key == .string("param_groups") }),
                  case .list(let saved) = root[index].value else { throw TrainingError.invalidCheckpoint("unexpected layout") }
            root[index].value = .list(zip(saved, momenta).map { group, momentum in
                guard case .dict(var entries) = group else { return group }
                for i in entries.indices where entries[i].key == .string("momentum") { entries[i].value = .float(momentum) }
                return .dict(entries)
            })
            return .dict(root)
        }
        XCTAssertThrowsError(try restoredSGD.loadTorchStateDict(stateDict(momenta: [0.9, 0.8]))) {
            XCTAssertTrue("\($0)".contains("keeps one value for all groups"), "\($0)")
        }
        XCTAssertThrowsError(try restoredSGD.loadTorchStateDict(stateDict(momenta: [0, 0]))) { XCTAssertTrue("\($0)".contains("Nesterov"), "\($0)") }
        XCTAssertEqual(restoredSGD.momentum, 0.91, "a refused momentum changes nothing")
    }
}
