extension Trainer {
    /// The optimizer `settings` names, with no groups yet (phases add them).
    static func makeOptimizer(_ settings: FineTuneSettings) throws -> Optimizer {
        switch settings.optimizer {
        case .sgd: return try SGD(groups: [], momentum: settings.momentum, nesterov: settings.momentum > 0)
        case .adam: return try Adam(groups: [])
        case .adamw: return try Adam(groups: [], decoupledWeightDecay: true)
        }
    }

    /// The schedule `settings` names, over epochs (one-cycle: over batches), after an optional linear warm-up.
    static func makeSchedule(_ settings: FineTuneSettings, batchesPerEpoch: Int) throws -> AnyLearningRateSchedule {
        let main: AnyLearningRateSchedule
        let span = settings.epochs - settings.warmupEpochs
        switch settings.schedule {
        case .constant: main = .constant
        case .cosine: main = .cosine(try CosineAnnealingSchedule(tMax: span))
        case .step: main = .step(try StepDecaySchedule(stepSize: max(1, span / 3), gamma: 0.1))
        case .onecycle: return .oneCycle(try OneCycleSchedule(cycleSteps: settings.epochs * max(1, batchesPerEpoch)))
        }
        guard settings.warmupEpochs > 0 else { return main }
        return .sequential(try SequentialSchedule.warmup(startFactor: 0.1, warmupSteps: settings.warmupEpochs, then: main))
    }
}
