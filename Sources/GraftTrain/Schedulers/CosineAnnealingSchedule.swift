import Foundation

/// Cosine annealing from the base lr down to `etaMin` over `tMax` steps (PyTorch's `CosineAnnealingLR`),
/// periodic after that.
public struct CosineAnnealingSchedule: LearningRateSchedule, Codable, Equatable {
    /// Steps in half a cosine period.
    public let tMax: Int
    /// The floor the lr reaches at `tMax`; absolute, the same for every group (as in PyTorch).
    public let etaMin: Double

    /// Creates the schedule; `tMax` must be positive and `etaMin` finite and >= 0.
    public init(tMax: Int, etaMin: Double = 0) throws {
        try requireSetting(tMax > 0, schedule: "cosine", setting: "tMax", value: tMax, expected: "> 0")
        try requireSetting(
            etaMin.isFinite && etaMin >= 0, schedule: "cosine", setting: "etaMin", value: etaMin,
            expected: "finite and >= 0")
        self.tMax = tMax
        self.etaMin = etaMin
    }

    /// Decodes the settings and validates them like the memberwise initializer.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            tMax: try container.decode(Int.self, forKey: .tMax),
            etaMin: try container.decodeIfPresent(Double.self, forKey: .etaMin) ?? 0)
    }

    /// The closed form that PyTorch's recursive update reproduces when stepped one step at a time.
    public func learningRate(baseLR: Double, step: Int) -> Double {
        etaMin + (baseLR - etaMin) * (1 + cos(Double.pi * Double(step) / Double(tMax))) / 2
    }
}
