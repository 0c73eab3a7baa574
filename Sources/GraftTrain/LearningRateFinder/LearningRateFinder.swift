import Foundation
import GraftData
import GraftTensor

/// fastai's `lr_find` for a `Learner`: trains its current groups for up to `iterations` batches while the
/// learning rate grows exponentially from `startRate` towards `endRate`, records the loss of each batch and stops
/// early once the smoothed loss exceeds `divergenceFactor` times its minimum (or is not finite). Afterwards the
/// weights, BatchNorm buffers, module modes and optimizer state are restored bitwise; the training data is read
/// from fixed epochs (the loader keeps no position) and `fit()` reseeds the random generator every epoch, so a
/// later run is unaffected. While the backbone is frozen it sweeps the head on cached features.
/// Callbacks do not run during a sweep (they receive one note when it starts); the loss is the learner's
/// `computeStep` (its `trainingStep` or `loss`).
public struct LearningRateFinder: Sendable, Equatable {
    /// The reference group's rate at the first batch.
    public var startRate: Double
    /// The rate the sweep grows towards (reached after `iterations` batches, so the last batch is just below it).
    public var endRate: Double
    /// Batches in the sweep (the training data is cycled when it has fewer).
    public var iterations: Int
    /// The smoothing factor of the loss average.
    public var beta: Double
    /// The sweep stops once the smoothed loss exceeds this multiple of its minimum.
    public var divergenceFactor: Double

    /// A finder with fastai's defaults: 1e-7 → 10 over 100 batches, β = 0.98, stop at 4× the minimum.
    public init(startRate: Double = 1e-7, endRate: Double = 10, iterations: Int = 100, beta: Double = 0.98, divergenceFactor: Double = 4) {
        self.startRate = startRate
        self.endRate = endRate
        self.iterations = iterations
        self.beta = beta
        self.divergenceFactor = divergenceFactor
    }

    /// Throws `TrainingError.invalidSetting` naming the property when a value is out of range.
    public func validate() throws {
        func require(_ condition: Bool, _ setting: String, _ rule: String, _ value: Any) throws {
            if !condition { throw TrainingError.invalidSetting(setting, "\(setting) \(rule) (got \(value))") }
        }
        try require(startRate > 0 && startRate.isFinite, "startRate", "must be a positive number", startRate)
        try require(endRate > startRate && endRate.isFinite, "endRate", "must be a finite number above startRate \(startRate)", endRate)
        try require(iterations >= 2, "iterations", "must be at least 2", iterations)
        try require(beta >= 0 && beta < 1, "beta", "must be in [0, 1)", beta)
        try require(divergenceFactor > 1, "divergenceFactor", "must be above 1", divergenceFactor)
    }

    /// The reference rate of batch `index`: `startRate · (endRate / startRate)^(index / iterations)` (fastai's `SchedExp`).
    public func rate(at index: Int) -> Double {
        startRate * pow(endRate / startRate, Double(index) / Double(iterations))
    }

    /// fastai's smoothed loss: `avg_i = β·avg_{i-1} + (1-β)·loss_i` from `avg_0 = 0`, reported bias-corrected as
    /// `avg_i / (1 - β^i)`.
    public static func smoothed(_ losses: [Double], beta: Double) -> [Double] {
        var average = 0.0
        return losses.enumerated().map { index, loss in
            average = beta * average + (1 - beta) * loss
            return average / (1 - pow(beta, Double(index + 1)))
        }
    }

    /// Sweeps `learner`'s trained groups and restores it. Rates are those of `reference` (default: the trained
    /// group with the largest current rate); every other trained group keeps its current ratio to it.
    public func run(on learner: Learner, reference: String? = nil) throws -> LearningRateFinderResult {
        try validate()
        let groups = learner.trainedGroups
        guard !groups.isEmpty else {
            throw TrainingError.invalidConfiguration("the learner trains no layer group yet; unfreeze one before finding its learning rate")
        }
        let current = learner.optimizer.groups.map(\.learningRate)
        let referenceIndex: Int
        if let reference {
            guard let index = groups.firstIndex(of: reference) else {
                throw TrainingError.invalidConfiguration("no trained group '\(reference)'; the trained groups are \(groups.joined(separator: ", "))")
            }
            referenceIndex = index
        } else {
            referenceIndex = current.indices.max { current[$0] < current[$1] } ?? 0
        }
        let ratios = current.map { current[referenceIndex] > 0 ? $0 / current[referenceIndex] : 1 }

        try learner.prepareCaches()
        learner.send(LearnerMessage(.note, "finding the learning rate of \(groups[referenceIndex]): up to \(iterations) batches from \(startRate) to \(endRate)\(groups.count > 1 ? ", the other trained groups at their current ratios" : "")"))
        let snapshot = try LearnerSnapshot(learner)
        let sweep: (rates: [Double], losses: [Double], smoothed: [Double], diverged: Bool)
        do {
            sweep = try self.sweep(learner, ratios: ratios)
            try snapshot.restore(learner)
        } catch {
            try? snapshot.restore(learner)
            throw error
        }
        let suggestions = LearningRateSuggestions.from(rates: sweep.rates, smoothedLosses: sweep.smoothed, plannedIterations: iterations)
        var noSuggestion: String?
        if case .failure(let reason) = suggestions { noSuggestion = reason.reason }
        return LearningRateFinderResult(
            referenceGroup: groups[referenceIndex], groups: groups, rates: sweep.rates, losses: sweep.losses,
            smoothedLosses: sweep.smoothed, suggestions: try? suggestions.get(), diverged: sweep.diverged, noSuggestionReason: noSuggestion)
    }

    private func sweep(_ learner: Learner, ratios: [Double]) throws -> (rates: [Double], losses: [Double], smoothed: [Double], diverged: Bool) {
        learner.setTrainingModes()
        let batches = SweepBatches(learner)
        var rates: [Double] = [], losses: [Double] = [], smoothedLosses: [Double] = []
        var best = Double.infinity
        for index in 0..<iterations {
            let rate = rate(at: index)
            try learner.optimizer.setLearningRates(ratios.map { $0 * rate })
            let batch = try batches.next()
            let output = try learner.computeStep(batch)
            let loss = try output.loss.item()
            rates.append(rate)
            losses.append(loss)
            let smoothed = Self.smoothed(losses, beta: beta)[index]
            smoothedLosses.append(smoothed)
            best = min(best, smoothed)
            if !smoothed.isFinite || smoothed > divergenceFactor * best { return (rates, losses, smoothedLosses, true) }
            try learner.optimizer.zeroGrad()
            try output.loss.backward()
            try learner.optimizer.step()
        }
        return (rates, losses, smoothedLosses, false)
    }
}

/// The training batches a sweep steps through: the learner's cached features when its frozen part is cached,
/// else its loader's images, epoch after epoch from the learner's current epoch.
private final class SweepBatches {
    private let learner: Learner
    private var epoch: Int
    private var cached: [(activations: Tensor, labels: Tensor)] = []
    private var loaded: (any LabeledBatchIterator)?
    private var usedThisEpoch = 0

    init(_ learner: Learner) {
        self.learner = learner
        epoch = learner.epoch
    }

    func next() throws -> LearnerBatch {
        if let cache = learner.caches.training {
            if cached.isEmpty {
                cached = try cache.batches(groups: learner.trainLoader.batchGroups(epoch: epoch)).map { ($0.activations, $0.labels) }.reversed()
                epoch += 1
            }
            let batch = cached.removeLast()
            return LearnerBatch(inputs: batch.activations, labels: batch.labels, stagesApplied: cache.boundary)
        }
        while true {
            let batches = loaded ?? learner.trainLoader.labeledBatches(epoch: epoch)
            loaded = batches
            if let batch = try batches.next(on: learner.device) {
                usedThisEpoch += batch.count
                return LearnerBatch(inputs: batch.inputs, labels: batch.labels)
            }
            try learner.requireUsableImages(.train, used: usedThisEpoch, skipped: batches.skipped)
            loaded = nil
            usedThisEpoch = 0
            epoch += 1
        }
    }
}
