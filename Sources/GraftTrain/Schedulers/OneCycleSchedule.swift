import Foundation

/// The one-cycle policy (PyTorch's `OneCycleLR`, two phases): from `maxLR / divFactor` up to the group's max lr over
/// `pctStart` of the steps, then down to `maxLR / divFactor / finalDivFactor`. The group's base lr is its max lr.
public struct OneCycleSchedule: LearningRateSchedule, Codable, Equatable {
    /// How each phase interpolates between its end points.
    public enum AnnealStrategy: String, Codable, Sendable {
        /// Half a cosine.
        case cos
        /// A straight line.
        case linear
    }

    /// The length of the cycle in scheduler steps.
    public let cycleSteps: Int
    /// The fraction of the cycle spent increasing the lr.
    public let pctStart: Double
    /// The interpolation of both phases.
    public let annealStrategy: AnnealStrategy
    /// Initial lr = max lr / divFactor.
    public let divFactor: Double
    /// Final lr = initial lr / finalDivFactor.
    public let finalDivFactor: Double
    /// The momentum at the lr peak (cycled inversely to the lr).
    public let baseMomentum: Double
    /// The momentum at the start and the end of the cycle.
    public let maxMomentum: Double

    /// Creates the schedule with PyTorch's defaults; each phase must span more than zero steps.
    public init(
        cycleSteps: Int, pctStart: Double = 0.3, annealStrategy: AnnealStrategy = .cos, divFactor: Double = 25,
        finalDivFactor: Double = 1e4, baseMomentum: Double = 0.85, maxMomentum: Double = 0.95
    ) throws {
        let name = "one-cycle"
        try requireSetting(cycleSteps > 0, schedule: name, setting: "cycleSteps", value: cycleSteps, expected: "> 0")
        try requireSetting(
            pctStart >= 0 && pctStart <= 1, schedule: name, setting: "pctStart", value: pctStart, expected: "in [0, 1]")
        let warmupEnd = pctStart * Double(cycleSteps) - 1
        try requireSetting(
            warmupEnd > 0 && warmupEnd < Double(cycleSteps - 1), schedule: name, setting: "pctStart", value: pctStart,
            expected: "a value leaving at least one step in each phase of a \(cycleSteps)-step cycle")
        try requireSetting(
            divFactor.isFinite && divFactor > 0, schedule: name, setting: "divFactor", value: divFactor, expected: "> 0"
        )
        try requireSetting(
            finalDivFactor.isFinite && finalDivFactor > 0, schedule: name, setting: "finalDivFactor",
            value: finalDivFactor, expected: "> 0")
        self.cycleSteps = cycleSteps
        self.pctStart = pctStart
        self.annealStrategy = annealStrategy
        self.divFactor = divFactor
        self.finalDivFactor = finalDivFactor
        self.baseMomentum = baseMomentum
        self.maxMomentum = maxMomentum
    }

    /// Decodes the settings and validates them like the memberwise initializer.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            cycleSteps: try container.decode(Int.self, forKey: .cycleSteps),
            pctStart: try container.decodeIfPresent(Double.self, forKey: .pctStart) ?? 0.3,
            annealStrategy: try container.decodeIfPresent(AnnealStrategy.self, forKey: .annealStrategy) ?? .cos,
            divFactor: try container.decodeIfPresent(Double.self, forKey: .divFactor) ?? 25,
            finalDivFactor: try container.decodeIfPresent(Double.self, forKey: .finalDivFactor) ?? 1e4,
            baseMomentum: try container.decodeIfPresent(Double.self, forKey: .baseMomentum) ?? 0.85,
            maxMomentum: try container.decodeIfPresent(Double.self, forKey: .maxMomentum) ?? 0.95)
    }

    /// PyTorch stops at step `totalSteps` (raising past it).
    public var totalSteps: Int? { cycleSteps }

    /// The lr for a group whose max lr is `baseLR`.
    public func learningRate(baseLR: Double, step: Int) -> Double {
        let initial = baseLR / divFactor
        let final = initial / finalDivFactor
        let (phase, pct) = position(at: step)
        return phase == 0 ? anneal(from: initial, to: baseLR, pct: pct) : anneal(from: baseLR, to: final, pct: pct)
    }

    /// The momentum (or Adam's beta1) PyTorch sets with `cycle_momentum=True`: high when the lr is low.
    public func momentum(step: Int) -> Double {
        let (phase, pct) = position(at: step)
        return phase == 0
            ? anneal(from: maxMomentum, to: baseMomentum, pct: pct)
            : anneal(from: baseMomentum, to: maxMomentum, pct: pct)
    }

    /// The phase (0 rising, 1 falling) and the fraction of it done, with PyTorch's phase boundaries.
    private func position(at step: Int) -> (phase: Int, pct: Double) {
        let warmupEnd = pctStart * Double(cycleSteps) - 1
        let current = Double(step)
        if current <= warmupEnd { return (0, current / warmupEnd) }
        return (1, (current - warmupEnd) / (Double(cycleSteps - 1) - warmupEnd))
    }

    private func anneal(from start: Double, to end: Double, pct: Double) -> Double {
        switch annealStrategy {
        case .cos: return end + (start - end) / 2 * (cos(Double.pi * pct) + 1)
        case .linear: return (end - start) * pct + start
        }
    }
}
