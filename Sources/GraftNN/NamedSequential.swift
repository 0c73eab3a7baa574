import GraftTensor

/// Runs its children in order under given names: `nn.Sequential(OrderedDict(...))`, whose state-dict keys use the
/// names instead of "0", "1", ….
public final class NamedSequential: Module {
    /// The named layers, in order.
    public private(set) var layers: [(String, Module)]

    /// A chain of `layers`, each under its name.
    public init(_ layers: [(String, Module)]) {
        self.layers = layers
        super.init()
    }

    /// Replaces the layer at `index`, keeping its name (e.g. a classifier head).
    public func replace(at index: Int, with module: Module) throws {
        guard layers.indices.contains(index) else {
            throw NNError.invalidConfiguration("Sequential has no layer \(index) (it has \(layers.count))")
        }
        layers[index].1 = module
    }

    public override var typeName: String { "Sequential" }

    public override var namedChildren: [(String, Module)] { layers }

    public override func forward(_ input: Tensor) throws -> Tensor { try layers.reduce(input) { try $1.1($0) } }
}
