import GraftTensor

/// A building block of a network, like PyTorch's `nn.Module`: it owns named parameters and buffers and named
/// child modules, whose dotted names (`layer4.1.bn2.running_var`) are exactly PyTorch's state-dict keys.
/// Subclasses override `namedChildren`, `ownParameters`, `ownBuffers` and `forward`.
open class Module {
    /// Whether the module is in training mode (BatchNorm uses batch statistics, Dropout drops).
    public private(set) var isTraining = true

    public init() {}

    /// Direct children with their attribute names, in PyTorch's registration order.
    open var namedChildren: [(String, Module)] { [] }

    /// Parameters owned directly by this module (not its children).
    open var ownParameters: [(String, Tensor)] { [] }

    /// Buffers (non-trainable state such as running statistics) owned directly by this module.
    open var ownBuffers: [(String, Tensor)] { [] }

    /// The PyTorch class name shown in the architecture printout.
    open var typeName: String { String(describing: type(of: self)) }

    /// Extra text inside the parentheses of the printout, like PyTorch's `extra_repr`.
    open var extraDescription: String { "" }

    /// Computes the module's output.
    open func forward(_ input: Tensor) throws -> Tensor {
        throw NNError.notImplemented("\(typeName).forward")
    }

    /// Calls `forward`.
    public func callAsFunction(_ input: Tensor) throws -> Tensor { try forward(input) }

    /// Sets training mode on this module and every descendant.
    public func train(_ on: Bool = true) {
        for (_, module) in namedModules() { module.isTraining = on }
    }

    /// Sets evaluation mode on this module and every descendant.
    public func eval() { train(false) }

    /// This module and every descendant, with dotted names ("" for self), in pre-order.
    public func namedModules(prefix: String = "") -> [(String, Module)] {
        var result: [(String, Module)] = [(prefix, self)]
        for (name, child) in namedChildren {
            result += child.namedModules(prefix: Self.join(prefix, name))
        }
        return result
    }

    /// Every parameter with its dotted name.
    public func namedParameters() -> [(String, Tensor)] {
        namedModules().flatMap { prefix, module in module.ownParameters.map { (Self.join(prefix, $0.0), $0.1) } }
    }

    /// Every buffer with its dotted name.
    public func namedBuffers() -> [(String, Tensor)] {
        namedModules().flatMap { prefix, module in module.ownBuffers.map { (Self.join(prefix, $0.0), $0.1) } }
    }

    /// Parameters, optionally only those that receive gradients.
    public func parameters(trainableOnly: Bool = false) -> [Tensor] {
        namedParameters().map(\.1).filter { !trainableOnly || $0.requiresGrad }
    }

    /// Number of parameter elements, optionally only trainable ones.
    public func parameterCount(trainableOnly: Bool = false) -> Int {
        parameters(trainableOnly: trainableOnly).reduce(0) { $0 + $1.count }
    }

    /// The descendant at a dotted path such as `layer4.1`, or nil.
    public func module(at path: String) -> Module? {
        if path.isEmpty { return self }
        return namedModules().first { $0.0 == path }?.1
    }

    static func join(_ prefix: String, _ name: String) -> String { prefix.isEmpty ? name : prefix + "." + name }
}

extension Module: CustomStringConvertible {
    /// The architecture as a tree, in the format of PyTorch's `print(model)`.
    public var description: String {
        let children = namedChildren
        if children.isEmpty { return "\(typeName)(\(extraDescription))" }
        var lines = ["\(typeName)(" + extraDescription]
        for (name, child) in children {
            let text = child.description.split(separator: "\n", omittingEmptySubsequences: false)
                .enumerated().map { $0.offset == 0 ? String($0.element) : "  " + $0.element }.joined(separator: "\n")
            lines.append("  (\(name)): \(text)")
        }
        lines.append(")")
        return lines.joined(separator: "\n")
    }
}

/// Errors of the network layer.
public enum NNError: Error, CustomStringConvertible {
    /// A subclass did not provide an operation.
    case notImplemented(String)
    /// A state dict did not fit the module; every problem is listed by name.
    case stateDictMismatch(LoadReport)
    /// A freezing pattern matched nothing.
    case noMatch(String)
    /// A configuration value is invalid.
    case invalidConfiguration(String)
    /// A module's tensors are on several devices: each device with one tensor on it.
    case splitAcrossDevices([(device: Device, name: String)])

    /// A message a user can act on.
    public var description: String {
        switch self {
        case .notImplemented(let what): return "\(what) is not implemented"
        case .stateDictMismatch(let report): return "the checkpoint does not fit the model:\n" + report.description
        case .noMatch(let pattern): return "no parameter name matches '\(pattern)'"
        case .invalidConfiguration(let message): return message
        case .splitAcrossDevices(let examples):
            let list = examples.map { "\($0.name) on \($0.device)" }.joined(separator: ", ")
            return "the module's tensors are on several devices (\(list)); put them on one with `to(_:)`"
        }
    }
}
