import Foundation

/// A change of what trains, at the start of an epoch: the named layer groups are unfrozen and get `learningRate`.
public struct Phase: Codable, Sendable, Equatable {
    /// Zero-based epoch at whose start the phase begins.
    public var atEpoch: Int
    /// Layer-group names (e.g. `layer4`, `head`).
    public var unfreeze: [String]
    /// Base learning rate of the newly unfrozen groups (before the schedule).
    public var learningRate: Double

    /// Creates a phase.
    public init(atEpoch: Int, unfreeze: [String], learningRate: Double) {
        self.atEpoch = atEpoch
        self.unfreeze = unfreeze
        self.learningRate = learningRate
    }

    enum CodingKeys: String, CodingKey {
        case atEpoch = "at_epoch", unfreeze, learningRate = "lr"
    }

    /// Decodes `{at_epoch, unfreeze, lr}`; `unfreeze` may be one group name or a list.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        atEpoch = try container.decode(Int.self, forKey: .atEpoch)
        learningRate = try container.decode(Double.self, forKey: .learningRate)
        if let single = try? container.decode(String.self, forKey: .unfreeze) {
            unfreeze = [single]
        } else {
            unfreeze = try container.decode([String].self, forKey: .unfreeze)
        }
    }
}

/// Turns a strategy into concrete phases for a model's layer groups (ordered input → head, last is `head`).
public enum PhasePlan {
    /// The phases of `settings` for a model with `groups`; custom phases are checked against the group names. Throws
    /// for `Strategy.auto`, which depends on the data: resolve it first (`FineTuneSettings.resolvingAutoStrategy`).
    public static func phases(for settings: FineTuneSettings, groups: [String]) throws -> [Phase] {
        guard let head = groups.last else { throw TrainingError.invalidConfiguration("the model has no layer groups") }
        let backbone = Array(groups.dropLast())
        let deepestFirst = Array(backbone.reversed())
        func rate(depth: Int) -> Double { settings.backboneLearningRate * pow(settings.layerDecay, Double(depth)) }
        let phases: [Phase]
        if let custom = settings.phases {
            phases = custom
        } else {
            switch settings.strategy {
            case .auto:
                throw TrainingError.invalidConfiguration("strategy auto depends on the training data: resolve it first (FineTuneSettings.resolvingAutoStrategy, as Learner does)")
            case .head:
                phases = [Phase(atEpoch: 0, unfreeze: [head], learningRate: settings.headLearningRate)]
            case .full:
                phases = [Phase(atEpoch: 0, unfreeze: [head], learningRate: settings.headLearningRate)]
                    + deepestFirst.enumerated().map { Phase(atEpoch: 0, unfreeze: [$0.element], learningRate: rate(depth: $0.offset)) }
            case .progressive:
                let headEpochs = settings.headEpochs ?? max(1, settings.epochs / 3)
                let remaining = settings.epochs - headEpochs
                let depth = min(settings.unfreezeDepth, deepestFirst.count, remaining)
                let every = depth > 0 ? max(1, remaining / depth) : 1
                phases = [Phase(atEpoch: 0, unfreeze: [head], learningRate: settings.headLearningRate)]
                    + (0..<depth).map { Phase(atEpoch: headEpochs + $0 * every, unfreeze: [deepestFirst[$0]], learningRate: rate(depth: $0)) }
            }
        }
        try check(phases, groups: groups, epochs: settings.epochs)
        return phases.sorted { $0.atEpoch < $1.atEpoch }
    }

    static func check(_ phases: [Phase], groups: [String], epochs: Int) throws {
        guard phases.contains(where: { $0.atEpoch == 0 }) else {
            throw TrainingError.invalidConfiguration("no phase starts at epoch 0, so nothing would train at first")
        }
        var seen = Set<String>()
        for phase in phases {
            guard (0..<epochs).contains(phase.atEpoch) else {
                throw TrainingError.invalidConfiguration("phase at_epoch \(phase.atEpoch) is outside the run's 0..<\(epochs) epochs")
            }
            guard phase.learningRate > 0 else {
                throw TrainingError.invalidConfiguration("phase at epoch \(phase.atEpoch) has learning rate \(phase.learningRate); it must be positive")
            }
            for name in phase.unfreeze {
                guard groups.contains(name) else {
                    throw TrainingError.invalidConfiguration("phase at epoch \(phase.atEpoch) unfreezes '\(name)'; the model's groups are \(groups.joined(separator: ", "))")
                }
                guard seen.insert(name).inserted else {
                    throw TrainingError.invalidConfiguration("layer group '\(name)' is unfrozen by two phases")
                }
            }
        }
    }
}
