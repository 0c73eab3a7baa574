/// A learning-rate schedule in closed form: the lr of one parameter group after a number of scheduler steps.
///
/// Every group is scaled from its own base lr by the same rule, so discriminative lrs keep their ratios
/// (up to an absolute floor such as cosine's `etaMin`, exactly as in PyTorch).
public protocol LearningRateSchedule: Sendable {
    /// The lr of a group whose base (for one-cycle: peak) lr is `baseLR`, after `step` scheduler steps
    /// (0 = at construction).
    func learningRate(baseLR: Double, step: Int) -> Double

    /// The last step the schedule defines, or nil when it runs forever.
    var totalSteps: Int? { get }
}

extension LearningRateSchedule {
    /// Open-ended by default.
    public var totalSteps: Int? { nil }
}

/// Validation helper shared by the schedules' initializers.
func requireSetting(
    _ isValid: Bool, schedule: String, setting: String, value: CustomStringConvertible, expected: String
) throws {
    guard isValid else {
        throw TrainingError.invalidScheduleSetting(
            schedule: schedule, setting: setting, value: value.description, expected: expected)
    }
}
