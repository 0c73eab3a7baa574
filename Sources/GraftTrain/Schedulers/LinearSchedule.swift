/// Scales the lr linearly from `startFactor` to `endFactor` over `totalIters` steps, then holds (PyTorch's `LinearLR`);
/// with the defaults it is a linear warm-up.
public struct LinearSchedule: LearningRateSchedule, Codable, Equatable {
    /// The multiplier at step 0.
    public let startFactor: Double
    /// The multiplier from step `totalIters` on.
    public let endFactor: Double
    /// Steps to go from `startFactor` to `endFactor`.
    public let totalIters: Int

    /// Creates the schedule with PyTorch's defaults; factors must lie in (0, 1] for the start and [0, 1] for the end.
    public init(startFactor: Double = 1.0 / 3, endFactor: Double = 1, totalIters: Int = 5) throws {
        try requireSetting(
            startFactor > 0 && startFactor <= 1, schedule: "linear", setting: "startFactor", value: startFactor,
            expected: "in (0, 1]")
        try requireSetting(
            endFactor >= 0 && endFactor <= 1, schedule: "linear", setting: "endFactor", value: endFactor,
            expected: "in [0, 1]")
        try requireSetting(
            totalIters > 0, schedule: "linear", setting: "totalIters", value: totalIters, expected: "> 0")
        self.startFactor = startFactor
        self.endFactor = endFactor
        self.totalIters = totalIters
    }

    /// Decodes the settings and validates them like the memberwise initializer.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            startFactor: try container.decodeIfPresent(Double.self, forKey: .startFactor) ?? 1.0 / 3,
            endFactor: try container.decodeIfPresent(Double.self, forKey: .endFactor) ?? 1,
            totalIters: try container.decodeIfPresent(Int.self, forKey: .totalIters) ?? 5)
    }

    /// `baseLR * (startFactor + (endFactor - startFactor) * min(step, totalIters) / totalIters)`.
    public func learningRate(baseLR: Double, step: Int) -> Double {
        let progress = Double(min(max(0, step), totalIters)) / Double(totalIters)
        return baseLR * (startFactor + (endFactor - startFactor) * progress)
    }
}
