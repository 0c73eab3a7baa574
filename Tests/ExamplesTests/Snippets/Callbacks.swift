import Foundation
import Graft

// snippet: recorder
/// Keeps the training loss of every batch, e.g. for a loss-per-step plot.
final class BatchLossRecorder: Callback {
    private(set) var losses: [Double] = []

    func batchEnded(_ learner: Learner) throws {
        if learner.stage == .train, let loss = learner.batchLoss { losses.append(loss) }
    }
}
// snippet: end

// snippet: plateau
/// Halves every learning rate, on top of the schedule, whenever the validation loss has not improved for `patience` epochs.
final class ReduceOnPlateau: Callback {
    let patience: Int
    private(set) var factor = 1.0
    private var bestLoss = Double.infinity
    private var epochsWithoutImprovement = 0

    init(patience: Int = 1) {
        self.patience = patience
    }

    func validationEnded(_ learner: Learner) throws {
        let loss = learner.validationMetrics.meanLoss
        if loss < bestLoss {
            bestLoss = loss
            epochsWithoutImprovement = 0
            return
        }
        epochsWithoutImprovement += 1
        guard epochsWithoutImprovement >= patience else { return }
        factor /= 2
        epochsWithoutImprovement = 0
        learner.send(LearnerMessage(.note, "validation loss stalled: learning rates now \(factor) × the schedule's"))
    }

    // The schedule sets every rate after each epoch, so the factor is applied again as each epoch begins.
    func epochBegan(_ learner: Learner) throws {
        try learner.optimizer.setLearningRates(learner.optimizer.groups.map { $0.learningRate * factor })
    }
}
// snippet: end

// snippet: unfreezing
/// Progressive unfreezing driven by the data instead of fixed epochs: the head trains from the start, and each time
/// validation accuracy fails to improve, the next backbone group (deepest first) joins at half the previous one's rate.
final class UnfreezeOnPlateau: Callback {
    private var waiting: [String]
    private let headLearningRate: Double
    private var learningRate: Double

    init(model: ImageClassifier, headLearningRate: Double = 1e-3, backboneLearningRate: Double = 1e-4) {
        waiting = model.layerGroups.dropLast().map(\.name).reversed()
        self.headLearningRate = headLearningRate
        learningRate = backboneLearningRate
    }

    func fitBegan(_ learner: Learner) throws {
        try learner.unfreeze("head", learningRate: headLearningRate)
    }

    func epochEnded(_ learner: Learner) throws {
        guard !learner.lastEpochWasBest, !waiting.isEmpty, learner.runProgress.nextEpoch < learner.epochs else { return }
        let group = waiting.removeFirst()
        try learner.unfreeze(group, learningRate: learningRate)
        learner.send(LearnerMessage(.note, "validation accuracy stalled: \(group) trains from the next epoch at lr \(learningRate)"))
        learningRate /= 2
    }
}
// snippet: end

/// A learner with WritingACallback.md's callbacks and training step, the settings' built-in callbacks rearranged as the
/// article shows.
func learnerWithCustomCallbacks(model: ImageClassifier, data: TrainingData, settings: FineTuneSettings,
                                log: @escaping (String) -> Void) throws -> Learner {
    // snippet: wiring
    let learner = try Learner(model: model, data: data, settings: settings, callbacks: [BatchLossRecorder(), ReduceOnPlateau()])
    // The settings put PhasedUnfreezing and NaNGuard first; `callbacks` is a plain array, run in order.
    if let index = learner.callbacks.firstIndex(where: { $0 is PhasedUnfreezing }) {
        learner.callbacks[index] = UnfreezeOnPlateau(model: model)
    }
    learner.callbacks.append(try GradientClipping(maxNorm: 1.0))
    learner.callbacks.append(ProgressCallback(isTerminal: false, write: log, writeWarning: log))
    // snippet: end

    // snippet: step
    // A different training step needs no callback: label smoothing here (validation keeps the learner's loss).
    learner.trainingStep = { learner, batch in
        let logits = try learner.forward(batch)
        return StepOutput(loss: try logits.crossEntropy(targets: batch.labels, labelSmoothing: 0.1), logits: logits)
    }
    // snippet: end
    return learner
}
