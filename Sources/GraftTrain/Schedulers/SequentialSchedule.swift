/// Runs schedules one after another, each restarting from its own step 0 at its milestone (PyTorch's `SequentialLR`);
/// e.g. a linear warm-up followed by cosine annealing.
public struct SequentialSchedule: LearningRateSchedule, Codable, Equatable {
    /// The schedules in order.
    public let schedules: [AnyLearningRateSchedule]
    /// The steps at which schedule i+1 takes over from schedule i; strictly increasing, one fewer than `schedules`.
    public let milestones: [Int]

    /// Creates the chain; needs one more schedule than milestones and strictly increasing positive milestones.
    public init(schedules: [AnyLearningRateSchedule], milestones: [Int]) throws {
        try requireSetting(
            !schedules.isEmpty, schedule: "sequential", setting: "schedules", value: "an empty list",
            expected: "at least one schedule")
        try requireSetting(
            milestones.count == schedules.count - 1, schedule: "sequential", setting: "milestones",
            value: "\(milestones.count) milestones", expected: "\(schedules.count - 1) (one fewer than schedules)")
        let increasing = zip(milestones, milestones.dropFirst()).allSatisfy { $0 < $1 }
        try requireSetting(
            increasing && (milestones.first ?? 1) > 0, schedule: "sequential", setting: "milestones",
            value: "\(milestones)", expected: "positive and strictly increasing")
        self.schedules = schedules
        self.milestones = milestones
    }

    /// A linear warm-up over `warmupSteps` steps starting at `startFactor`, then `main` from its own step 0.
    public static func warmup(
        startFactor: Double, warmupSteps: Int, then main: AnyLearningRateSchedule
    ) throws -> SequentialSchedule {
        let warmup = try LinearSchedule(startFactor: startFactor, endFactor: 1, totalIters: warmupSteps)
        return try SequentialSchedule(schedules: [.linear(warmup), main], milestones: [warmupSteps])
    }

    /// Decodes the settings and validates them like the memberwise initializer.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            schedules: try container.decode([AnyLearningRateSchedule].self, forKey: .schedules),
            milestones: try container.decode([Int].self, forKey: .milestones))
    }

    /// The active schedule's lr at the steps elapsed since its milestone.
    public func learningRate(baseLR: Double, step: Int) -> Double {
        let active = milestones.filter { $0 <= step }.count
        let localStep = active == 0 ? step : step - milestones[active - 1]
        return schedules[active].learningRate(baseLR: baseLR, step: localStep)
    }

    /// Ends where the last schedule ends, if it does.
    public var totalSteps: Int? {
        guard let last = schedules.last?.totalSteps else { return nil }
        return (milestones.last ?? 0) + last
    }
}
