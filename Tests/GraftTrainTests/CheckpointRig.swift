import Foundation
import GraftIO
import GraftModels
import GraftNN
import GraftTensor
import GraftTestSupport
import GraftTrain
import XCTest

/// The tutorial's fine-tuning setup on both sides of the checkpoint tests: resnet18 with 3 classes at 32×32, everything
/// frozen but `layer4` (lr 1e-4) and `fc` (lr 1e-3), frozen modules in eval mode, cross-entropy on one seeded batch of
/// 4; Adam with cosine annealing (T_max 10, stepped after every step) or SGD with momentum 0.9.
/// scripts/fixtures/checkpoint_next_step.py is the PyTorch side.
struct CheckpointRig {
    /// The optimizer variants both sides build.
    enum Kind: String { case adam, sgd }

    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let script = packageRoot.appendingPathComponent("scripts/fixtures/checkpoint_next_step.py").path
    static let checkerScript = packageRoot.appendingPathComponent("scripts/fixtures/check_weights_only_pickle.py").path
    static let cosineSteps = 10

    let kind: Kind
    let model: ImageClassifier
    let optimizer: any TorchStateDictConvertible
    var scheduler: LearningRateScheduler?

    /// A freshly initialised model (seeded) with the tutorial's groups and optimizer.
    init(_ kind: Kind, seed: UInt64 = 7) throws {
        Engine.manualSeed(seed)
        self.kind = kind
        model = try Models.make("resnet18", numClasses: 3)
        try model.freeze()
        var groups: [ParameterGroup] = []
        for (name, lr) in [("layer4", 1e-4), ("fc", 1e-3)] {
            try model.setTrainable(true, matching: name)
            groups.append(ParameterGroup(name: name, parameters: model.namedParameters().filter { $0.0.hasPrefix(name + ".") }.map(\.1),
                                         learningRate: lr))
        }
        switch kind {
        case .adam:
            optimizer = try Adam(groups: groups)
            scheduler = try LearningRateScheduler(schedule: .cosine(try CosineAnnealingSchedule(tMax: Self.cosineSteps)),
                                                  baseLearningRates: groups.map(\.learningRate))
        case .sgd:
            optimizer = try SGD(groups: groups, momentum: 0.9)
        }
    }

    /// One training step on `batch`, then one scheduler step.
    mutating func step(_ batch: Batch) throws {
        try optimizer.zeroGrad()
        model.trainUnfrozenParts()
        try model(batch.images).crossEntropy(targets: batch.labels).backward()
        try optimizer.step()
        if scheduler != nil {
            try scheduler!.step()
            try optimizer.setLearningRates(scheduler!.learningRates)
        }
    }

    /// Loads a checkpoint into this rig's model, optimizer and scheduler.
    mutating func restore(_ checkpoint: TrainingCheckpoint) throws {
        try checkpoint.restore(model: model, optimizer: optimizer)
        scheduler = checkpoint.scheduler
    }

    /// The images and labels both sides train on, written as a `.pth` PyTorch reads.
    struct Batch {
        let images: Tensor
        let labels: Tensor

        /// Four seeded 3×32×32 images with labels 0, 1, 2, 1.
        init() throws {
            Engine.manualSeed(2024)
            images = try Tensor.randn([4, 3, 32, 32])
            labels = try Tensor([0, 1, 2, 1] as [Int64], shape: [4])
        }

        /// Writes `{'x': images, 'y': labels}` to `url`.
        func write(to url: URL) throws {
            try TorchPthWriter.write(try StateDict(tensors: [("x", images), ("y", labels)]), to: url)
        }
    }

    /// Runs the PyTorch side; fails (or skips without Python) with its error output.
    static func python(_ arguments: [String]) throws -> [String: Any] {
        try ReferencePython.require(modules: ["torch", "torchvision"])
        let run = try ReferencePython.run([script] + arguments)
        guard run.status == 0 else { throw RigError("checkpoint_next_step.py \(arguments.first ?? "") failed: \(run.errors.suffix(2000))") }
        guard let line = run.output.split(separator: "\n").last,
              let summary = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            throw RigError("checkpoint_next_step.py printed no JSON summary: \(run.output)")
        }
        return summary
    }

    /// How far two state dicts are apart.
    struct Difference {
        /// The largest |a − b| over every element of every entry.
        var absolute = 0.0
        /// The largest |a − b| / (1 + |b|): the test's measure, "within 1e-6" meaning at most 1e-6. It is absolute for
        /// parameters (all below 1) and relative for BatchNorm running variances (up to ~10, where one float32 ulp is
        /// already ~1e-6).
        var scaled = 0.0
        /// The entry where `scaled` is largest.
        var worstEntry = ""
    }

    /// The difference between `actual` and `expected`; names must match and any NaN or infinity fails the test.
    static func difference(_ actual: [(String, Tensor)], _ expected: StateDict, file: StaticString = #filePath, line: UInt = #line) throws -> Difference {
        XCTAssertEqual(actual.map(\.0), expected.names, "state dict names differ", file: file, line: line)
        var result = Difference()
        for (name, tensor) in actual {
            guard let reference = expected[name] else { continue }
            let mine = try StoredTensor(tensor).floats(), theirs = try reference.floats()
            XCTAssertEqual(mine.count, theirs.count, name, file: file, line: line)
            for (a, b) in zip(mine, theirs) {
                guard a.isFinite, b.isFinite else {
                    XCTFail("\(name) holds a non-finite value (\(a) vs \(b))", file: file, line: line)
                    return Difference(absolute: .infinity, scaled: .infinity, worstEntry: name)
                }
                let gap = Double(abs(a - b))
                result.absolute = max(result.absolute, gap)
                if gap / (1 + Double(abs(b))) > result.scaled { (result.scaled, result.worstEntry) = (gap / (1 + Double(abs(b))), name) }
            }
        }
        return result
    }
}

/// A failure of the test rig, with the reason.
struct RigError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
