/// Drives a schedule over an optimizer's parameter groups: counts scheduler steps, remembers each group's base lr
/// (groups can join later, e.g. when progressive unfreezing adds a stage), and saves/restores exactly as Codable.
public struct LearningRateScheduler: Codable, Sendable, Equatable {
    /// The schedule applied to every group.
    public let schedule: AnyLearningRateSchedule
    /// Each group's base lr (for one-cycle: its max lr), in group order.
    public private(set) var baseLearningRates: [Double]
    /// Scheduler steps taken so far (PyTorch's `last_epoch`); 0 right after construction.
    public private(set) var stepCount: Int

    /// Starts the schedule at step 0 for the given groups.
    public init(schedule: AnyLearningRateSchedule, baseLearningRates: [Double]) throws {
        for (group, lr) in baseLearningRates.enumerated() { try Self.validate(lr, group: group) }
        self.schedule = schedule
        self.baseLearningRates = baseLearningRates
        self.stepCount = 0
    }

    /// The schedule at step `stepCount` (e.g. a run extended with a schedule planned for its new length), rejecting a
    /// step count outside the schedule.
    public init(schedule: AnyLearningRateSchedule, baseLearningRates: [Double], stepCount steps: Int) throws {
        try self.init(schedule: schedule, baseLearningRates: baseLearningRates)
        guard steps >= 0 else { throw TrainingError.invalidSchedulerState("stepCount is \(steps), expected >= 0") }
        if let total = schedule.totalSteps, steps > total {
            throw TrainingError.invalidSchedulerState("stepCount \(steps) is past the schedule's \(total) steps")
        }
        stepCount = steps
    }

    /// Restores a saved scheduler, rejecting a step count outside the schedule.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            schedule: try container.decode(AnyLearningRateSchedule.self, forKey: .schedule),
            baseLearningRates: try container.decode([Double].self, forKey: .baseLearningRates),
            stepCount: try container.decode(Int.self, forKey: .stepCount))
    }

    /// The lr every group should use now.
    public var learningRates: [Double] {
        baseLearningRates.map { schedule.learningRate(baseLR: $0, step: stepCount) }
    }

    /// The lr of one group now.
    public func learningRate(group: Int) throws -> Double {
        guard baseLearningRates.indices.contains(group) else {
            throw TrainingError.unknownParameterGroup(index: group, groupCount: baseLearningRates.count)
        }
        return schedule.learningRate(baseLR: baseLearningRates[group], step: stepCount)
    }

    /// The ratio of the current lr to the base lr, the same for every group when the schedule has no absolute floor.
    public func multiplier(group: Int) throws -> Double {
        let base = baseLearningRates.indices.contains(group) ? baseLearningRates[group] : 0
        return base == 0 ? 0 : try learningRate(group: group) / base
    }

    /// Advances one step (an epoch or a batch, as the trainer decides) and returns the new lrs.
    @discardableResult
    public mutating func step() throws -> [Double] {
        if let total = schedule.totalSteps, stepCount >= total {
            throw TrainingError.schedulePastEnd(schedule: schedule.name, step: stepCount + 1, totalSteps: total)
        }
        stepCount += 1
        return learningRates
    }

    /// Advances one step and gives `optimizer` the new rates and, for one-cycle, the new momentum (SGD) or beta1
    /// (Adam), like PyTorch's `scheduler.step()` (groups in order).
    public mutating func step(updating optimizer: Optimizer) throws {
        try optimizer.setLearningRates(try step())
        try applyMomentum(to: optimizer)
    }

    /// The momentum (SGD) or beta1 (Adam) one-cycle prescribes now, as PyTorch's `cycle_momentum=True`;
    /// nil for the other schedules, which leave momentum alone.
    public var cycledMomentum: Double? {
        guard case .oneCycle(let oneCycle) = schedule else { return nil }
        return oneCycle.momentum(step: stepCount)
    }

    /// Gives `optimizer` the cycled momentum of the current step, as PyTorch's `OneCycleLR` does when it is created
    /// (step 0) and at every step; nothing for the other schedules. One-cycle rejects an optimizer without a momentum
    /// (PyTorch: "optimizer must support momentum with `cycle_momentum` option enabled").
    public func applyMomentum(to optimizer: Optimizer) throws {
        guard let momentum = cycledMomentum else { return }
        guard let cycling = optimizer as? MomentumOptimizer else {
            throw TrainingError.invalidConfiguration(
                "one-cycle cycles the optimizer's momentum, and \(type(of: optimizer)) has none; use SGD or Adam")
        }
        try cycling.setMomentum(momentum)
    }

    /// Adds a group that follows the schedule from now on, scaled from its own base lr; returns its index.
    /// Its lr is immediately `schedule(base, current step)`, so the groups keep their base-lr ratios. PyTorch does the
    /// same for one-cycle (`add_param_group` with `initial_lr`/`max_lr`/`min_lr`); its other schedulers match when the
    /// group is added with that lr and its base lr is appended to `scheduler.base_lrs` (what the parity test does).
    @discardableResult
    public mutating func addGroup(baseLearningRate: Double) throws -> Int {
        try Self.validate(baseLearningRate, group: baseLearningRates.count)
        baseLearningRates.append(baseLearningRate)
        return baseLearningRates.count - 1
    }

    /// Changes group `group`'s base lr; the schedule scales the new base from the current step on.
    public mutating func setBaseLearningRate(_ rate: Double, group: Int) throws {
        guard baseLearningRates.indices.contains(group) else {
            throw TrainingError.unknownParameterGroup(index: group, groupCount: baseLearningRates.count)
        }
        try Self.validate(rate, group: group)
        baseLearningRates[group] = rate
    }

    private static func validate(_ lr: Double, group: Int) throws {
        guard lr.isFinite && lr >= 0 else { throw TrainingError.invalidBaseLearningRate(group: group, value: lr) }
    }
}
