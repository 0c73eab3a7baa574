import GraftTensor

/// Stochastic gradient descent with optional momentum, dampening, Nesterov momentum and L2 weight decay,
/// computed exactly as `torch.optim.SGD` (1.13).
public final class SGD: MomentumOptimizer {
    public var groups: [ParameterGroup]
    /// The momentum factor (0: none); a one-cycle schedule changes it between steps (`setMomentum`).
    public private(set) var momentum: Double
    public let dampening: Double, nesterov: Bool
    /// Per-parameter state (also read and written by the torch.optim layout conversion).
    var store = SlotStore()

    /// An SGD optimizer over `groups`.
    public init(groups: [ParameterGroup], momentum: Double = 0, dampening: Double = 0, nesterov: Bool = false) throws {
        try Self.validate(momentum: momentum, dampening: dampening, nesterov: nesterov)
        self.groups = groups
        self.momentum = momentum
        self.dampening = dampening
        self.nesterov = nesterov
    }

    /// Sets the momentum factor for the following steps (a one-cycle schedule's cycled momentum).
    public func setMomentum(_ value: Double) throws {
        try Self.validate(momentum: value, dampening: dampening, nesterov: nesterov)
        momentum = value
    }

    private static func validate(momentum: Double, dampening: Double, nesterov: Bool) throws {
        guard momentum.isFinite, momentum >= 0 else {
            throw TrainingError.invalidConfiguration("SGD: momentum must be a finite number ≥ 0 (got \(momentum))")
        }
        guard !(nesterov && (momentum <= 0 || dampening != 0)) else {
            throw TrainingError.invalidConfiguration("SGD: Nesterov momentum requires momentum > 0 and dampening 0")
        }
    }

    public func step() throws {
        try forEachGradient { g, i, group, p, grad in
            var direction = grad
            let weightDecay = group.weightDecay(at: i)
            if weightDecay != 0 {
                direction = try grad.clone()
                try direction.add_(p, alpha: weightDecay)
            }
            if momentum != 0 {
                let buffer: Tensor
                if let existing = store[slot: "momentum_buffer", group: g, index: i] {
                    try existing.mul_(momentum)
                    try existing.add_(direction, alpha: 1 - dampening)
                    buffer = existing
                } else {
                    buffer = try direction.clone()
                    store[slot: "momentum_buffer", group: g, index: i] = buffer
                }
                if nesterov {
                    direction = try direction.clone()
                    try direction.add_(buffer, alpha: momentum)
                } else {
                    direction = buffer
                }
            }
            try p.add_(direction, alpha: -group.learningRate)
        }
    }

    public func state() throws -> OptimizerState { try store.exported() }
    public func load(state: OptimizerState) throws { try store.restore(state, placingOn: groups) }
    public func to(_ device: Device) throws { try store.move(to: device) }
}
