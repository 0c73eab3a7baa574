import GraftIO

/// Adam and AdamW as torch.optim 1.13 writes them: `Adam`'s group keys end with `differentiable` and `fused`,
/// `AdamW`'s lack them; each parameter's state is `step`, `exp_avg`, `exp_avg_sq`. The cycled momentum is `betas[0]`.
extension Adam: TorchStateDictConvertible {
    var torchLayout: TorchOptimizerLayout {
        let className = decoupledWeightDecay ? "AdamW" : "Adam"
        return TorchOptimizerLayout(className: className, momentum: beta1, groupSettings: { [beta2, eps, decoupledWeightDecay] group, beta1 in
            let common: [(key: String, value: PickleValue)] = [
                ("lr", .float(group.learningRate)), ("betas", .tuple([.float(beta1), .float(beta2)])), ("eps", .float(eps)),
                ("weight_decay", .float(group.weightDecay)),
                ("amsgrad", .bool(false)),
            ]
            return decoupledWeightDecay
                ? common + [("foreach", .none), ("maximize", .bool(false)), ("capturable", .bool(false))]
                : common + [("maximize", .bool(false)), ("foreach", .none), ("capturable", .bool(false)),
                            ("differentiable", .bool(false)), ("fused", .bool(false))]
        }, savedMomentum: { saved in
            switch saved["betas"] {
            case .tuple(let betas)?, .list(let betas)?: return betas.first?.pythonNumber
            default: return nil
            }
        }, keepsStep: true, slots: ["exp_avg", "exp_avg_sq"])
    }

    /// torch.optim's `state_dict()` (see `TorchStateDictConvertible`).
    public func torchStateDict(initialLearningRates: [Double]?) throws -> PickleValue {
        try torchLayout.export(groups: groups, store: store, initialLearningRates: initialLearningRates)
    }

    /// Restores a torch.optim `state_dict()` (see `TorchStateDictConvertible`).
    public func loadTorchStateDict(_ stateDict: PickleValue) throws {
        let imported = try torchLayout.imported(stateDict, groups: groups)
        try setMomentum(imported.momentum)
        (groups, store) = (imported.groups, imported.store)
    }
}

/// SGD as torch.optim 1.13 writes it; each parameter's state is its `momentum_buffer` (None without momentum).
extension SGD: TorchStateDictConvertible {
    var torchLayout: TorchOptimizerLayout {
        TorchOptimizerLayout(className: "SGD", momentum: momentum, groupSettings: { [dampening, nesterov] group, momentum in
            [("lr", .float(group.learningRate)), ("momentum", .float(momentum)), ("dampening", .float(dampening)),
             ("weight_decay", .float(group.weightDecay)), ("nesterov", .bool(nesterov)), ("maximize", .bool(false)),
             ("foreach", .none), ("differentiable", .bool(false))]
        }, savedMomentum: { $0["momentum"]?.pythonNumber }, keepsStep: false, slots: ["momentum_buffer"])
    }

    /// torch.optim's `state_dict()` (see `TorchStateDictConvertible`).
    public func torchStateDict(initialLearningRates: [Double]?) throws -> PickleValue {
        try torchLayout.export(groups: groups, store: store, initialLearningRates: initialLearningRates)
    }

    /// Restores a torch.optim `state_dict()` (see `TorchStateDictConvertible`).
    public func loadTorchStateDict(_ stateDict: PickleValue) throws {
        let imported = try torchLayout.imported(stateDict, groups: groups)
        try setMomentum(imported.momentum)
        (groups, store) = (imported.groups, imported.store)
    }
}
