import GraftIO
import GraftTensor

/// An optimizer whose state converts to and from torch.optim's `state_dict()` layout (1.13), so training checkpoints
/// move between Graft and PyTorch: `state` maps each parameter's flat index across the groups to its state
/// (`{'step': tensor(3.), 'exp_avg': …}`), `param_groups` lists each group's hyper-parameters and parameter indices.
/// torch.optim has one weight decay per group, so a Graft group with parameters exempt from decay
/// (`ParameterGroup.decayExempt`) is two torch groups: its decayed parameters, then its exempt ones with
/// `weight_decay` 0 and `graft_decay_exempt: True` (timm's layout); both carry the group's `graft_name`.
public protocol TorchStateDictConvertible: Optimizer {
    /// torch.optim's `state_dict()` for this optimizer; `initialLearningRates` (one per group) adds the `initial_lr`
    /// that a PyTorch scheduler puts in each group. Each group's Graft name goes under `graft_name`, which torch keeps
    /// but never reads.
    func torchStateDict(initialLearningRates: [Double]?) throws -> PickleValue
    /// Restores a `state_dict()` saved by torch.optim or by `torchStateDict` for the same groups (same parameter
    /// counts and shapes) and the same settings (beta2, eps, dampening, …); each group's `lr` and `weight_decay`, and
    /// the momentum (SGD) or beta1 (Adam) that a one-cycle schedule cycles, are taken from it, as torch does. Nothing
    /// changes when it does not fit.
    func loadTorchStateDict(_ stateDict: PickleValue) throws
}

extension TorchStateDictConvertible {
    /// torch.optim's `state_dict()` without `initial_lr` (no scheduler attached).
    public func torchStateDict() throws -> PickleValue { try torchStateDict(initialLearningRates: nil) }
}

/// How a Graft optimizer maps to a torch.optim class, and the conversion both ways.
struct TorchOptimizerLayout {
    /// The torch.optim class, for messages.
    let className: String
    /// The optimizer's momentum (SGD) or beta1 (Adam) now, which a one-cycle schedule changes between steps.
    let momentum: Double
    /// A group's entries in torch's key order, `params` excluded, with a given momentum (or beta1).
    let groupSettings: (ParameterGroup, Double) -> [(key: String, value: PickleValue)]
    /// The momentum (or beta1) a saved group holds; nil when it has none.
    let savedMomentum: (PickleValue) -> Double?
    /// Whether each parameter's state starts with a `step` count (a float32 scalar tensor in 1.13).
    let keepsStep: Bool
    /// The tensor slots of a parameter's state, in torch's order.
    let slots: [String]

    /// Group keys whose value changes nothing in the update (implementation choices), so any value loads.
    static let implementationKeys: Set<String> = ["foreach", "capturable", "differentiable", "fused"]
    /// Group keys next to the settings that a loaded group may carry.
    static let bookkeepingKeys: Set<String> = ["params", "initial_lr", "graft_name", exemptKey]
    /// Marks the torch group holding a Graft group's parameters exempt from weight decay.
    static let exemptKey = "graft_decay_exempt"

    /// The parameters of one Graft group that share a torch group: the decayed ones, or the exempt ones.
    struct Part {
        /// The Graft group.
        let group: Int
        /// Indices into the Graft group's parameters, in order.
        let indices: [Int]
        /// Whether these parameters take no weight decay.
        let exempt: Bool
    }

    /// The torch groups `groups` export as, in order: each group's decayed parameters (all of them when none is
    /// exempt), then its exempt ones when there are any.
    static func parts(of groups: [ParameterGroup]) -> [Part] {
        groups.enumerated().flatMap { g, group -> [Part] in
            let exempt = group.parameters.indices.filter { group.decayExempt.contains($0) }
            let decayed = group.parameters.indices.filter { !group.decayExempt.contains($0) }
            return (exempt.isEmpty || !decayed.isEmpty ? [Part(group: g, indices: decayed, exempt: false)] : [])
                + (exempt.isEmpty ? [] : [Part(group: g, indices: exempt, exempt: true)])
        }
    }

    // MARK: - export

    /// The `state_dict()` of `groups` and their per-parameter `store`.
    func export(groups: [ParameterGroup], store: SlotStore, initialLearningRates: [Double]?) throws -> PickleValue {
        if let initial = initialLearningRates, initial.count != groups.count {
            throw TrainingError.invalidCheckpoint(
                "the scheduler has \(initial.count) groups and the optimizer \(groups.count); add every optimizer group to the scheduler (LearningRateScheduler.addGroup)")
        }
        var state: [PickleEntry] = []
        var paramGroups: [PickleValue] = []
        var flatIndex = 0
        for part in Self.parts(of: groups) {
            let g = part.group
            var settings = groups[g]
            if part.exempt { settings.weightDecay = 0 }
            var entries = groupSettings(settings, momentum).map { PickleEntry(key: .string($0.key), value: $0.value) }
            if let initial = initialLearningRates { entries.append(entry("initial_lr", .float(initial[g]))) }
            entries.append(entry("params", .list(part.indices.indices.map { .int(flatIndex + $0) })))
            entries.append(entry("graft_name", .string(settings.name)))
            if part.exempt { entries.append(entry(Self.exemptKey, .bool(true))) }
            paramGroups.append(.dict(entries))
            for (k, i) in part.indices.enumerated() {
                var parameterState: [PickleEntry] = []
                if keepsStep, let step = store[stepOf: g, index: i] {
                    parameterState.append(entry("step", .tensor(try StoredTensor(floats: [Float(step)], shape: []))))
                }
                for slot in slots {
                    if let tensor = store[slot: slot, group: g, index: i] { parameterState.append(entry(slot, .tensor(try StoredTensor(tensor)))) }
                }
                if !parameterState.isEmpty { state.append(PickleEntry(key: .int(flatIndex + k), value: .dict(parameterState))) }
            }
            flatIndex += part.indices.count
        }
        return .dict([entry("state", .dict(state)), entry("param_groups", .list(paramGroups))])
    }

    // MARK: - import

    /// What a loaded `state_dict()` gives the optimizer.
    struct Imported {
        /// The groups, with the loaded `lr` and `weight_decay`.
        var groups: [ParameterGroup]
        /// The per-parameter state.
        var store: SlotStore
        /// The loaded momentum (or beta1), the same in every group.
        var momentum: Double
    }

    /// The groups, store and momentum that `stateDict` describes for `groups`.
    func imported(_ stateDict: PickleValue, groups: [ParameterGroup]) throws -> Imported {
        guard case .list(let savedGroups)? = stateDict["param_groups"], let savedState = stateDict["state"]?.dictEntries else {
            throw TrainingError.invalidCheckpoint("the optimizer state has no 'state' dict and 'param_groups' list")
        }
        let parts = Self.parts(of: groups)
        guard savedGroups.count == parts.count else {
            let split = parts.count > groups.count ? ", \(parts.count) torch groups with the parameters exempt from weight decay apart" : ""
            throw TrainingError.incompatibleOptimizerState(
                "the checkpoint has \(savedGroups.count) parameter groups (\(savedGroups.map(Self.groupName).joined(separator: ", "))), "
                    + "this \(className) has \(groups.count) (\(groups.map { "'\($0.name)'" }.joined(separator: ", "))\(split)); "
                    + "create the optimizer with the same groups and the same weight-decay exemptions")
        }
        var updated = groups
        var loadedMomentum: Double?
        var loadedRates: [Int: Double] = [:]
        var owners: [Int: (group: Int, index: Int)] = [:]
        for (t, (part, saved)) in zip(parts, savedGroups).enumerated() {
            let g = part.group
            let label = "group \(t) ('\(groups[g].name)'\(part.exempt ? ", exempt from weight decay" : ""))"
            guard let entries = saved.dictEntries, case .list(let params)? = saved["params"] else {
                throw TrainingError.invalidCheckpoint("\(label) of the optimizer state is not a dict with 'params'")
            }
            if case .string(let name)? = saved["graft_name"], name != groups[g].name {
                throw TrainingError.incompatibleOptimizerState("\(label) is '\(name)' in the checkpoint; create the optimizer with the checkpoint's groups in its order")
            }
            if saved[Self.exemptKey].map({ $0 == .bool(true) }) ?? false != part.exempt {
                throw TrainingError.incompatibleOptimizerState(
                    "\(label) \(part.exempt ? "holds decayed" : "holds exempt") parameters in the checkpoint; create the optimizer with the checkpoint's weight-decay exemptions")
            }
            guard params.count == part.indices.count else {
                throw TrainingError.incompatibleOptimizerState(
                    "\(label) has \(params.count) parameters in the checkpoint and \(part.indices.count) here; the model, the group's layers or its weight-decay exemptions differ")
            }
            for (k, param) in params.enumerated() {
                guard case .int(let id) = param, owners.updateValue((g, part.indices[k]), forKey: id) == nil else {
                    throw TrainingError.invalidCheckpoint("\(label) lists parameter \(param.pythonDescription) twice or not as an integer")
                }
            }
            let momentum = savedMomentum(saved) ?? self.momentum
            if let first = loadedMomentum, first != momentum {
                throw TrainingError.incompatibleOptimizerState(
                    "\(label) has momentum (or beta1) \(momentum) in the checkpoint, group 0 \(first); Graft's \(className) keeps one value for all groups")
            }
            loadedMomentum = momentum
            try checkSettings(entries, against: groups[g], momentum: momentum, label: label)
            let rate = try number(saved["lr"], "lr", label)
            if let first = loadedRates.updateValue(rate, forKey: g), first != rate {
                throw TrainingError.incompatibleOptimizerState(
                    "\(label) has lr \(rate) in the checkpoint and the group's decayed parameters \(first); Graft keeps one learning rate per group")
            }
            updated[g].learningRate = rate
            let decay = try number(saved["weight_decay"], "weight_decay", label)
            if !part.exempt {
                updated[g].weightDecay = decay
            } else if decay != 0 {
                throw TrainingError.incompatibleOptimizerState("\(label) has weight_decay \(decay) in the checkpoint; parameters exempt from weight decay need 0")
            }
        }
        var store = SlotStore()
        for saved in savedState {
            guard case .int(let id) = saved.key, let owner = owners[id], let slots = saved.value.dictEntries else {
                throw TrainingError.invalidCheckpoint("the optimizer state has an entry for parameter \(saved.key.pythonDescription), which no group lists")
            }
            try restore(slots, parameter: groups[owner.group].parameters[owner.index], owner: owner, id: id, into: &store)
        }
        return Imported(groups: updated, store: store, momentum: loadedMomentum ?? momentum)
    }

    /// Fails when a saved group's settings differ from this optimizer's with the saved `momentum` (lr and weight decay
    /// may differ) or belong to another class.
    private func checkSettings(_ saved: [PickleEntry], against group: ParameterGroup, momentum: Double, label: String) throws {
        let own = Dictionary(groupSettings(group, momentum).map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
        for entry in saved {
            guard case .string(let key) = entry.key else { throw TrainingError.invalidCheckpoint("\(label) has a non-string key") }
            if Self.bookkeepingKeys.contains(key) || Self.implementationKeys.contains(key) || ["lr", "weight_decay"].contains(key) { continue }
            guard let expected = own[key] else {
                throw TrainingError.incompatibleOptimizerState("\(label) has the setting '\(key)', which \(className) does not have; the checkpoint was saved by another optimizer")
            }
            guard Self.sameSetting(entry.value, expected) else {
                throw TrainingError.incompatibleOptimizerState(
                    "\(label): the checkpoint's \(key) is \(entry.value.pythonDescription), this \(className)'s is \(expected.pythonDescription); create the optimizer with the checkpoint's settings")
            }
        }
    }

    /// Puts one parameter's saved state into `store`, checking slot names and shapes.
    private func restore(_ slots: [PickleEntry], parameter: Tensor, owner: (group: Int, index: Int), id: Int, into store: inout SlotStore) throws {
        let label = "the state of parameter \(id) (group \(owner.group), #\(owner.index))"
        for slot in slots {
            guard case .string(let name) = slot.key else { throw TrainingError.invalidCheckpoint("\(label) has a non-string key") }
            switch (name, slot.value) {
            case (_, .none):
                continue   // SGD without momentum keeps `momentum_buffer: None`
            case ("step", _) where keepsStep:
                store[stepOf: owner.group, index: owner.index] = try stepCount(slot.value, label)
            case (_, .tensor(let stored)) where self.slots.contains(name):
                guard stored.shape == parameter.shape else {
                    throw TrainingError.incompatibleOptimizerState("\(label): \(name) has shape \(stored.shape), the parameter \(parameter.shape); the model differs")
                }
                store[slot: name, group: owner.group, index: owner.index] = try Tensor(stored).to(parameter.dtype, device: parameter.device)
            default:
                throw TrainingError.incompatibleOptimizerState("\(label) has '\(name)', which \(className) as configured does not use (expected \((keepsStep ? ["step"] : []) + self.slots))")
            }
        }
    }

    private func stepCount(_ value: PickleValue, _ label: String) throws -> Double {
        if case .tensor(let stored) = value, stored.elementCount == 1, let step = try stored.floats().first { return Double(step) }
        return try number(value, "step", label)
    }

    private func number(_ value: PickleValue?, _ key: String, _ label: String) throws -> Double {
        guard let number = value?.pythonNumber, number.isFinite else {
            throw TrainingError.invalidCheckpoint("\(label): '\(key)' is missing or not a finite number")
        }
        return number
    }

    // MARK: - values

    private func entry(_ key: String, _ value: PickleValue) -> PickleEntry { PickleEntry(key: .string(key), value: value) }

    /// Python's equality for settings: 0 == 0.0 and (0.9, 0.999) == [0.9, 0.999].
    static func sameSetting(_ lhs: PickleValue, _ rhs: PickleValue) -> Bool {
        if let left = lhs.pythonNumber, let right = rhs.pythonNumber { return left == right }
        switch (lhs, rhs) {
        case (.tuple(let left), .tuple(let right)), (.tuple(let left), .list(let right)), (.list(let left), .tuple(let right)), (.list(let left), .list(let right)):
            return left.count == right.count && zip(left, right).allSatisfy { sameSetting($0, $1) }
        default:
            return lhs == rhs
        }
    }

    /// A saved group as its Graft name, for messages.
    private static func groupName(_ group: PickleValue) -> String {
        group["graft_name"]?.pythonDescription ?? "unnamed"
    }
}
