/// Any of Graft's schedules, Codable as `{"type": "cosine", "tMax": 10, ...}` for config files and checkpoints.
public enum AnyLearningRateSchedule: LearningRateSchedule, Codable, Equatable {
    /// A constant lr (no scheduling).
    case constant
    /// PyTorch's `CosineAnnealingLR`.
    case cosine(CosineAnnealingSchedule)
    /// PyTorch's `StepLR`.
    case step(StepDecaySchedule)
    /// PyTorch's `LinearLR` (linear warm-up).
    case linear(LinearSchedule)
    /// PyTorch's `SequentialLR`.
    case sequential(SequentialSchedule)
    /// PyTorch's `OneCycleLR`.
    case oneCycle(OneCycleSchedule)

    private enum TypeKey: String, CodingKey { case type }
    private enum Kind: String, Codable {
        case constant, cosine, step, linear, sequential, oneCycle
    }

    private var wrapped: (kind: Kind, schedule: (any LearningRateSchedule & Encodable)?) {
        switch self {
        case .constant: return (.constant, nil)
        case .cosine(let schedule): return (.cosine, schedule)
        case .step(let schedule): return (.step, schedule)
        case .linear(let schedule): return (.linear, schedule)
        case .sequential(let schedule): return (.sequential, schedule)
        case .oneCycle(let schedule): return (.oneCycle, schedule)
        }
    }

    /// Decodes `{"type": ..., settings...}`, rejecting unknown types and invalid settings.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: TypeKey.self)
        switch try container.decode(Kind.self, forKey: .type) {
        case .constant: self = .constant
        case .cosine: self = .cosine(try CosineAnnealingSchedule(from: decoder))
        case .step: self = .step(try StepDecaySchedule(from: decoder))
        case .linear: self = .linear(try LinearSchedule(from: decoder))
        case .sequential: self = .sequential(try SequentialSchedule(from: decoder))
        case .oneCycle: self = .oneCycle(try OneCycleSchedule(from: decoder))
        }
    }

    /// Writes the `type` key next to the schedule's own keys.
    public func encode(to encoder: Encoder) throws {
        let (kind, schedule) = wrapped
        var container = encoder.container(keyedBy: TypeKey.self)
        try container.encode(kind, forKey: .type)
        try schedule?.encode(to: encoder)
    }

    /// The wrapped schedule's lr (the base lr for `.constant`).
    public func learningRate(baseLR: Double, step: Int) -> Double {
        wrapped.schedule?.learningRate(baseLR: baseLR, step: step) ?? baseLR
    }

    /// The wrapped schedule's length, nil when open-ended.
    public var totalSteps: Int? { wrapped.schedule?.totalSteps }

    /// The schedule's `type` name, as written in config files.
    public var name: String { wrapped.kind.rawValue }
}
