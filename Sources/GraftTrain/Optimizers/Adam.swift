import Foundation
import GraftTensor

/// Adam, and AdamW with decoupled weight decay, computed exactly as `torch.optim.Adam` / `AdamW` (1.13,
/// single-tensor path).
public final class Adam: MomentumOptimizer {
    public var groups: [ParameterGroup]
    /// The first moment's decay; a one-cycle schedule changes it between steps (`setMomentum`).
    public private(set) var beta1: Double
    public let beta2: Double, eps: Double
    /// Whether weight decay is decoupled from the gradient (AdamW) rather than added to it (Adam's L2).
    public let decoupledWeightDecay: Bool
    /// Per-parameter state (also read and written by the torch.optim layout conversion).
    var store = SlotStore()

    /// Adam (or AdamW when `decoupledWeightDecay`) over `groups`.
    public init(groups: [ParameterGroup], beta1: Double = 0.9, beta2: Double = 0.999, eps: Double = 1e-8, decoupledWeightDecay: Bool = false) throws {
        try Self.validate(beta1: beta1, beta2: beta2, eps: eps)
        self.groups = groups
        self.beta1 = beta1
        self.beta2 = beta2
        self.eps = eps
        self.decoupledWeightDecay = decoupledWeightDecay
    }

    /// Sets beta1 for the following steps (a one-cycle schedule's cycled momentum); the moments are kept, and the bias
    /// correction uses the new beta1, as in PyTorch.
    public func setMomentum(_ value: Double) throws {
        try Self.validate(beta1: value, beta2: beta2, eps: eps)
        beta1 = value
    }

    private static func validate(beta1: Double, beta2: Double, eps: Double) throws {
        guard (0..<1).contains(beta1), (0..<1).contains(beta2), eps >= 0 else {
            throw TrainingError.invalidConfiguration("Adam: betas must be in [0, 1) and eps ≥ 0 (got \(beta1), \(beta2), \(eps))")
        }
    }

    public func step() throws {
        try forEachGradient { g, i, group, p, rawGrad in
            var grad = rawGrad
            let weightDecay = group.weightDecay(at: i)
            if weightDecay != 0 {
                if decoupledWeightDecay {
                    try p.mul_(1 - group.learningRate * weightDecay)
                } else {
                    grad = try rawGrad.clone()
                    try grad.add_(p, alpha: weightDecay)
                }
            }
            let m = try store[slot: "exp_avg", group: g, index: i] ?? Tensor.zeros(p.shape, dtype: p.dtype, device: p.device)
            let v = try store[slot: "exp_avg_sq", group: g, index: i] ?? Tensor.zeros(p.shape, dtype: p.dtype, device: p.device)
            store[slot: "exp_avg", group: g, index: i] = m
            store[slot: "exp_avg_sq", group: g, index: i] = v
            let t = store.incrementStep(group: g, index: i)
            try m.mul_(beta1)
            try m.add_(grad, alpha: 1 - beta1)
            try v.mul_(beta2)
            try v.addcmul_(grad, grad, value: 1 - beta2)
            let correction1 = 1 - pow(beta1, t)
            let correction2 = 1 - pow(beta2, t)
            let denominator = try v.sqrt() / correction2.squareRoot()
            try denominator.add_(eps)
            try p.addcdiv_(m, denominator, value: -group.learningRate / correction1)
        }
    }

    public func state() throws -> OptimizerState { try store.exported() }
    public func load(state: OptimizerState) throws { try store.restore(state, placingOn: groups) }
    public func to(_ device: Device) throws { try store.move(to: device) }
}
