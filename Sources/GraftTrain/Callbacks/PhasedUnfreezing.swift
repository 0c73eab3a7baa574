/// The phase plan as a callback: at the start of each phase's epoch, the phase's layer groups start training with
/// its learning rate (`Learner.unfreeze`). Groups already trained (after a resume) are left as they are.
/// With a head finder, the head is unfrozen first and its rate found by a sweep of the head alone; with a backbone
/// finder, the groups of the first phase that unfreezes a backbone group are swept together with the groups already
/// training, and every backbone phase's rate is scaled so the deepest of them gets the suggestion (the layer-decay
/// ratios stay). Found rates are written into `learner.settings` (so checkpoints resume with them, without sweeping
/// again) and `learner.history.foundLearningRates`, and announced as notes.
public final class PhasedUnfreezing: Callback {
    /// The phases, in epoch order.
    public let phases: [Phase]
    /// Finds the head's learning rate before it first trains; nil keeps the phase's rate.
    public let headRateFinder: LearningRateFinder?
    /// Finds the backbone's learning rate at the first backbone unfreeze; nil keeps the phases' rates.
    public let backboneRateFinder: LearningRateFinder?
    /// Every sweep this callback ran, in order.
    public private(set) var sweeps: [LearningRateFinderResult] = []
    private var backboneScale = 1.0

    /// Unfreezes by `phases` (e.g. from `PhasePlan.phases(for:groups:)`), finding rates with the given finders.
    public init(phases: [Phase], headRateFinder: LearningRateFinder? = nil, backboneRateFinder: LearningRateFinder? = nil) {
        self.phases = phases.sorted { $0.atEpoch < $1.atEpoch }
        self.headRateFinder = headRateFinder
        self.backboneRateFinder = backboneRateFinder
    }

    /// Tells the learner how many leading stages the plan keeps frozen to the end (`Learner.plannedFrozenStages`).
    public func fitBegan(_ learner: Learner) throws {
        let stages = learner.model.layerGroups.dropLast().map(\.name)
        let unfrozen = Set(phases.flatMap(\.unfreeze))
        learner.plannedFrozenStages = stages.firstIndex(where: unfrozen.contains) ?? stages.count
    }

    public func epochBegan(_ learner: Learner) throws {
        let head = learner.model.layerGroups.last?.name
        let starting = phases.filter { $0.atEpoch == learner.epoch }
            .flatMap { phase in phase.unfreeze.map { (name: $0, rate: phase.learningRate) } }
            .filter { !learner.trainedGroups.contains($0.name) }
        let headFirst = starting.filter { $0.name == head } + starting.filter { $0.name != head }
        for group in headFirst {
            let isBackbone = group.name != head
            try unfreeze(group.name, rate: isBackbone ? group.rate * backboneScale : group.rate, learner: learner)
            if !isBackbone, let headRateFinder { try findHeadRate(headRateFinder, head: group.name, learner: learner, fallback: group.rate) }
        }
        let backbone = headFirst.filter { $0.name != head }
        if let backboneRateFinder, let deepest = backbone.max(by: { $0.rate < $1.rate }), learner.epoch == firstBackboneEpoch(head: head) {
            try findBackboneRate(backboneRateFinder, learner: learner, groups: backbone, reference: deepest)
        }
    }

    private func unfreeze(_ name: String, rate: Double, learner: Learner) throws {
        try learner.unfreeze(name, learningRate: rate)
        let count = learner.model.parameters(in: try learner.model.layerGroup(named: name)).reduce(0) { $0 + $1.1.count }
        learner.send(LearnerMessage(.note, "epoch \(learner.epoch + 1): training \(name) (\(count) parameters) at lr \(rate)"))
    }

    private func firstBackboneEpoch(head: String?) -> Int? {
        phases.first { $0.unfreeze.contains { $0 != head } }?.atEpoch
    }

    private func findHeadRate(_ finder: LearningRateFinder, head: String, learner: Learner, fallback: Double) throws {
        let result = try finder.run(on: learner, reference: head)
        sweeps.append(result)
        learner.send(LearnerMessage(.note, result.summary(fallback: fallback)))
        let rate = result.suggestedRate(fallback: fallback)
        try learner.setBaseLearningRate(rate, forGroup: head)
        learner.settings?.headLearningRate = rate
        learner.settings?.findHeadLearningRate = false
        learner.history.foundLearningRates = (learner.history.foundLearningRates ?? [:]).merging(["head": rate]) { $1 }
    }

    private func findBackboneRate(_ finder: LearningRateFinder, learner: Learner, groups: [(name: String, rate: Double)],
                                  reference: (name: String, rate: Double)) throws {
        let result = try finder.run(on: learner, reference: reference.name)
        sweeps.append(result)
        learner.send(LearnerMessage(.note, result.summary(fallback: reference.rate)))
        let rate = result.suggestedRate(fallback: reference.rate)
        backboneScale = rate / reference.rate
        for group in groups { try learner.setBaseLearningRate(group.rate * backboneScale, forGroup: group.name) }
        if var settings = learner.settings {
            let head = learner.model.layerGroups.last?.name
            settings.backboneLearningRate *= backboneScale
            settings.phases = settings.phases?.map { phase in
                var scaled = phase
                if phase.unfreeze.contains(where: { $0 != head }) { scaled.learningRate *= backboneScale }
                return scaled
            }
            settings.findBackboneLearningRate = false
            learner.settings = settings
        }
        learner.history.foundLearningRates = (learner.history.foundLearningRates ?? [:]).merging(["backbone": rate]) { $1 }
    }
}
