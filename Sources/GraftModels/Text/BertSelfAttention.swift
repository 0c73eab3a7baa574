import Foundation
import GraftNN
import GraftTensor

/// Multi-head scaled dot-product self-attention (Hugging Face `BertSelfAttention`): query, key and value projections,
/// softmax over keys with an additive padding mask, attention-probability dropout.
public final class BertSelfAttention: Module {
    /// Projections hidden → hidden.
    public let query: Linear, key: Linear, value: Linear
    /// Drops attention probabilities while training.
    public let dropout: Dropout
    /// Number of heads.
    public let heads: Int

    /// Layers sized by `configuration`.
    public init(_ configuration: BertConfiguration) throws {
        let hidden = configuration.hiddenSize
        query = try Linear(hidden, hidden)
        key = try Linear(hidden, hidden)
        value = try Linear(hidden, hidden)
        dropout = try Dropout(p: configuration.attentionProbsDropoutProb)
        heads = configuration.numAttentionHeads
        super.init()
    }

    public override var namedChildren: [(String, Module)] {
        [("query", query), ("key", key), ("value", value), ("dropout", dropout)]
    }

    /// The attended values [N, L, hidden] of `hidden` [N, L, hidden]; `additiveMask` [N, 1, 1, L] (0 to keep a key,
    /// a huge negative number to hide it) is added to the scores, nil when nothing is padded.
    public func forward(_ hidden: Tensor, additiveMask: Tensor?) throws -> Tensor {
        let shape = hidden.shape
        let (n, length, width) = (shape[0], shape[1], shape[2])
        let headSize = width / heads
        // [N, L, hidden] → [N, heads, L, headSize] views, no copies.
        func split(_ x: Tensor) throws -> Tensor { try x.view([n, length, heads, headSize]).permute([0, 2, 1, 3]) }
        let q = try split(query(hidden)), k = try split(key(hidden)), v = try split(value(hidden))
        // The scores are a fresh matmul output whose backward needs only q and k, so scaling and masking in place is
        // safe under autograd; divided (not q pre-scaled) as Hugging Face does, for the same rounding.
        let scores = try q.matmul(k.transpose(2, 3))
        try scores.div_(Double(headSize).squareRoot())
        if let additiveMask { try scores.add_(additiveMask) }
        let probabilities = try dropout(scores.softmax(dim: -1))
        return try probabilities.matmul(v).permute([0, 2, 1, 3]).reshape([n, length, width])
    }

    /// Attention without padding.
    public override func forward(_ hidden: Tensor) throws -> Tensor { try forward(hidden, additiveMask: nil) }
}
