import GraftTensor

/// A lookup table of learned vectors (`nn.Embedding`): row `i` of `weight` for index `i`.
public final class Embedding: Module {
    /// Number of rows (the largest valid index plus one).
    public let count: Int
    /// Length of each vector.
    public let dimension: Int
    /// The row that padding tokens read: initialised to zeros and never given a gradient (`padding_idx`), or nil.
    public let paddingIndex: Int?
    /// [count, dimension].
    public let weight: Tensor

    /// A table initialised like PyTorch's: standard normal, drawn from the generator seeded by `Engine.manualSeed`,
    /// with the `paddingIndex` row zeroed.
    public init(_ count: Int, _ dimension: Int, paddingIndex: Int? = nil) throws {
        guard count >= 1, dimension >= 1 else {
            throw NNError.invalidConfiguration("Embedding: count and dimension must be at least 1, got \(count) × \(dimension)")
        }
        if let paddingIndex, !(0..<count).contains(paddingIndex) {
            throw NNError.invalidConfiguration("Embedding: padding index \(paddingIndex) is outside the \(count) rows")
        }
        self.count = count
        self.dimension = dimension
        self.paddingIndex = paddingIndex
        let table = try Tensor.empty([count, dimension])
        try table.normal_()
        if let paddingIndex { try table.select(dim: 0, index: paddingIndex).fill_(0) }
        weight = try table.requiresGrad_()
        super.init()
    }

    public override var ownParameters: [(String, Tensor)] { [("weight", weight)] }

    /// The rows for an int64 index tensor of any shape: the result has one more dimension, of size `dimension`.
    public override func forward(_ indices: Tensor) throws -> Tensor {
        try weight.embedding(indices: indices, paddingIndex: paddingIndex)
    }

    public override var extraDescription: String {
        "\(count), \(dimension)" + (paddingIndex.map { ", padding_idx=\($0)" } ?? "")
    }
}
