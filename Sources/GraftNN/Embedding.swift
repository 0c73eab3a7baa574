import GraftTensor

/// A lookup table of learned vectors (`nn.Embedding`): row `i` of `weight` for index `i`.
public final class Embedding: Module {
    /// Number of rows (the largest valid index plus one).
    public let count: Int
    /// Length of each vector.
    public let dimension: Int
    /// [count, dimension].
    public let weight: Tensor

    /// A table initialised like PyTorch's: standard normal, drawn from the generator seeded by `Engine.manualSeed`.
    public init(_ count: Int, _ dimension: Int) throws {
        guard count >= 1, dimension >= 1 else {
            throw NNError.invalidConfiguration("Embedding: count and dimension must be at least 1, got \(count) × \(dimension)")
        }
        self.count = count
        self.dimension = dimension
        let table = try Tensor.empty([count, dimension])
        try table.normal_()
        weight = try table.requiresGrad_()
        super.init()
    }

    public override var ownParameters: [(String, Tensor)] { [("weight", weight)] }

    /// The rows for an int64 index tensor of any shape: the result has one more dimension, of size `dimension`.
    public override func forward(_ indices: Tensor) throws -> Tensor { try weight.embedding(indices: indices) }

    public override var extraDescription: String { "\(count), \(dimension)" }
}
