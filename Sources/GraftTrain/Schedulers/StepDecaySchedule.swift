import Foundation

/// Multiplies the lr by `gamma` every `stepSize` steps (PyTorch's `StepLR`).
public struct StepDecaySchedule: LearningRateSchedule, Codable, Equatable {
    /// Steps between two decays.
    public let stepSize: Int
    /// The decay factor.
    public let gamma: Double

    /// Creates the schedule; `stepSize` must be positive and `gamma` finite and >= 0.
    public init(stepSize: Int, gamma: Double = 0.1) throws {
        try requireSetting(stepSize > 0, schedule: "step", setting: "stepSize", value: stepSize, expected: "> 0")
        try requireSetting(
            gamma.isFinite && gamma >= 0, schedule: "step", setting: "gamma", value: gamma, expected: "finite and >= 0")
        self.stepSize = stepSize
        self.gamma = gamma
    }

    /// Decodes the settings and validates them like the memberwise initializer.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            stepSize: try container.decode(Int.self, forKey: .stepSize),
            gamma: try container.decodeIfPresent(Double.self, forKey: .gamma) ?? 0.1)
    }

    /// `baseLR * gamma^(step / stepSize)`.
    public func learningRate(baseLR: Double, step: Int) -> Double {
        baseLR * pow(gamma, Double(max(0, step) / stepSize))
    }
}
