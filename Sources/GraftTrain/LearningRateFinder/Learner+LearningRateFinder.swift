/// Which learning rate `Learner.findLearningRate(for:with:)` looks for.
public enum LearningRateFinderStage: String, Codable, Sendable, CaseIterable {
    /// The new head's, swept alone before any training (on cached features when the backbone is frozen).
    case head
    /// The backbone's, swept at the first phase that unfreezes a backbone group, after the epochs before it.
    case backbone
}

extension Learner {
    /// Runs `finder` where the phase plan (this learner's `PhasedUnfreezing` callback) would need the rate of
    /// `stage`. For `.head` the head is unfrozen at its phase's rate and swept alone. For `.backbone` the epochs before
    /// the first backbone phase are trained first (`fit()`, with the callbacks), then that phase's groups are
    /// unfrozen and swept with the groups already training, the deepest new backbone group as the reference. The
    /// sweep itself is undone; the training and unfreezing before it are not, so use a fresh learner to train.
    public func findLearningRate(for stage: LearningRateFinderStage, with finder: LearningRateFinder = LearningRateFinder()) throws -> LearningRateFinderResult {
        guard let plan = callbacks.lazy.compactMap({ $0 as? PhasedUnfreezing }).first else {
            throw TrainingError.invalidConfiguration("the learner has no PhasedUnfreezing callback, so it has no phase plan to find a rate for")
        }
        guard let head = model.layerGroups.last?.name else { throw TrainingError.invalidConfiguration("the model has no layer groups") }
        let unfreezing = PhasedUnfreezing(phases: plan.phases)
        switch stage {
        case .head:
            guard let phase = plan.phases.first(where: { $0.unfreeze.contains(head) }) else {
                throw TrainingError.invalidConfiguration("no phase trains the head '\(head)'")
            }
            if !trainedGroups.contains(head) { try unfreeze(head, learningRate: phase.learningRate) }
            return try finder.run(on: self, reference: head)
        case .backbone:
            guard let first = plan.phases.first(where: { $0.unfreeze.contains { $0 != head } }) else {
                throw TrainingError.invalidSetting("strategy", "the strategy trains no backbone group, so there is no backbone learning rate to find; sweep the head instead")
            }
            if runProgress.nextEpoch < first.atEpoch {
                let planned = epochs
                epochs = first.atEpoch
                defer { epochs = planned }
                try fit()
            }
            epoch = first.atEpoch
            try unfreezing.epochBegan(self)
            let starting = plan.phases.filter { $0.atEpoch == first.atEpoch && $0.unfreeze.contains { $0 != head } }
            let deepest = starting.max { $0.learningRate < $1.learningRate }?.unfreeze.first { $0 != head }
            return try finder.run(on: self, reference: deepest)
        }
    }
}
