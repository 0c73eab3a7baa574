import GraftTensor

/// Parameters that share hyper-parameters: in fine-tuning, one group per unfrozen layer group, each with its own
/// learning rate ("discriminative" learning rates).
public struct ParameterGroup {
    /// Name for logs and checkpoints, e.g. `layer4`.
    public var name: String
    /// The tensors updated by this group.
    public var parameters: [Tensor]
    /// Current learning rate (schedulers overwrite it every step).
    public var learningRate: Double
    /// L2 penalty (SGD, Adam) or decoupled decay (AdamW).
    public var weightDecay: Double
    /// Indices into `parameters` of those that take no weight decay (norm weights and biases, by timm's rule).
    public var decayExempt: Set<Int>

    /// Creates a group; the parameters at `decayExempt` take no weight decay.
    public init(name: String, parameters: [Tensor], learningRate: Double, weightDecay: Double = 0, decayExempt: Set<Int> = []) {
        self.name = name
        self.parameters = parameters
        self.learningRate = learningRate
        self.weightDecay = weightDecay
        self.decayExempt = decayExempt
    }

    /// A group whose parameters with at most one dimension — norm weights and every bias — take no weight decay, as
    /// timm's `param_groups_weight_decay` and fastai's `wd_bn_bias=False` do: decaying them towards 0 only fights the
    /// normalisation they implement.
    public static func exemptingNormAndBias(name: String, parameters: [Tensor], learningRate: Double, weightDecay: Double) -> ParameterGroup {
        ParameterGroup(name: name, parameters: parameters, learningRate: learningRate, weightDecay: weightDecay,
                       decayExempt: Set(parameters.indices.filter { parameters[$0].shape.count <= 1 }))
    }

    /// The weight decay of the parameter at `index`: 0 when it is exempt.
    public func weightDecay(at index: Int) -> Double { decayExempt.contains(index) ? 0 : weightDecay }
}

/// Per-parameter optimizer state, saved in checkpoints: named tensors plus scalar step counts.
public struct OptimizerState {
    /// Tensors such as `0.3.exp_avg` (group 0, parameter 3).
    public var tensors: [(String, Tensor)] = []
    /// Scalars such as `0.3.step`.
    public var scalars: [String: Double] = [:]

    /// An empty state.
    public init() {}
}

/// Updates parameters from their gradients, group by group, like `torch.optim`.
public protocol Optimizer: AnyObject {
    /// The parameter groups, in the order they were added.
    var groups: [ParameterGroup] { get set }
    /// Applies one update to every parameter that has a gradient (parameters without one are skipped).
    func step() throws
    /// A copy of the per-parameter state.
    func state() throws -> OptimizerState
    /// Restores state saved by `state()` for the same groups and parameters, each tensor on its parameter's device
    /// (and, for floating-point parameters, in its dtype), wherever the state was saved.
    func load(state: OptimizerState) throws
    /// Moves the per-parameter state to `device`, for parameters moved after the optimizer took its first steps.
    func to(_ device: Device) throws
}

extension Optimizer {
    /// Adds a group (e.g. a layer group unfrozen during progressive fine-tuning).
    public func addGroup(_ group: ParameterGroup) { groups.append(group) }

    /// Drops every gradient of every group.
    public func zeroGrad() throws {
        for group in groups { for p in group.parameters { try p.clearGrad() } }
    }

    /// Sets each group's learning rate (from a scheduler).
    public func setLearningRates(_ rates: [Double]) throws {
        guard rates.count == groups.count else {
            throw TrainingError.invalidConfiguration("\(rates.count) learning rates for \(groups.count) parameter groups")
        }
        for i in groups.indices { groups[i].learningRate = rates[i] }
    }

    /// Visits every parameter with a gradient as (group index, parameter index, group, parameter, gradient).
    func forEachGradient(_ body: (Int, Int, ParameterGroup, Tensor, Tensor) throws -> Void) throws {
        try withNoGrad {
            for (g, group) in groups.enumerated() {
                for (i, p) in group.parameters.enumerated() {
                    guard let grad = p.grad else { continue }
                    try body(g, i, group, p, grad)
                }
            }
        }
    }
}

/// Keyed per-parameter tensors, shared by the optimizers' state handling.
struct SlotStore {
    private(set) var slots: [String: Tensor] = [:]
    private(set) var steps: [String: Double] = [:]

    static func key(_ group: Int, _ index: Int) -> String { "\(group).\(index)" }

    subscript(slot name: String, group group: Int, index index: Int) -> Tensor? {
        get { slots["\(Self.key(group, index)).\(name)"] }
        set { slots["\(Self.key(group, index)).\(name)"] = newValue }
    }

    /// The step count of one parameter, nil before its first update.
    subscript(stepOf group: Int, index index: Int) -> Double? {
        get { steps[Self.key(group, index)] }
        set { steps[Self.key(group, index)] = newValue }
    }

    mutating func incrementStep(group: Int, index: Int) -> Double {
        let key = Self.key(group, index)
        let next = (steps[key] ?? 0) + 1
        steps[key] = next
        return next
    }

    func exported() throws -> OptimizerState {
        var state = OptimizerState()
        state.tensors = try slots.keys.sorted().map { ($0, try slots[$0]!.clone()) }
        state.scalars = steps.reduce(into: [:]) { $0[$1.key + ".step"] = $1.value }
        return state
    }

    /// Replaces the state by copies of `state`'s, each on the device (and floating-point dtype) of the parameter its
    /// key names in `groups`, as `torch.optim.Optimizer.load_state_dict` casts it.
    mutating func restore(_ state: OptimizerState, placingOn groups: [ParameterGroup]) throws {
        slots = [:]
        for (name, tensor) in state.tensors {
            let copy = try tensor.clone()
            guard let parameter = Self.parameter(named: name, in: groups) else {
                slots[name] = copy
                continue
            }
            slots[name] = try copy.to(parameter.dtype.isFloatingPoint ? parameter.dtype : nil, device: parameter.device)
        }
        steps = [:]
        for (name, value) in state.scalars where name.hasSuffix(".step") { steps[String(name.dropLast(5))] = value }
    }

    /// Moves every state tensor to `device`.
    mutating func move(to device: Device) throws {
        slots = try slots.mapValues { try $0.to(device: device) }
    }

    /// The parameter a slot key `group.index.slot` refers to, if `groups` has it.
    private static func parameter(named key: String, in groups: [ParameterGroup]) -> Tensor? {
        let parts = key.split(separator: ".")
        guard parts.count >= 2, let g = Int(parts[0]), let i = Int(parts[1]), groups.indices.contains(g),
              groups[g].parameters.indices.contains(i) else { return nil }
        return groups[g].parameters[i]
    }
}
