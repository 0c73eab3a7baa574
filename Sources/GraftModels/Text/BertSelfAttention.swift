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

    /// The attended values [T, hidden] of the real tokens' states [T, hidden] laid out by `layout`: the projections
    /// run on real tokens, the scores and the softmax over each text's padded row, padded keys hidden by the mask.
    public func forward(_ tokens: Tensor, layout: TokenLayout) throws -> Tensor {
        let (n, length, width) = (layout.rows, layout.length, tokens.shape[1])
        let headSize = width / heads
        // [T, hidden] → [N, heads, L, headSize] (a view when nothing is padded).
        func split(_ x: Tensor) throws -> Tensor { try layout.padded(x).view([n, length, heads, headSize]).permute([0, 2, 1, 3]) }
        let q = try split(query(tokens)), k = try split(key(tokens)), v = try split(value(tokens))
        // The scores are a fresh matmul output whose backward needs only q and k, so scaling and masking in place is
        // safe under autograd; divided (not q pre-scaled) as Hugging Face does, for the same rounding.
        let scores = try q.matmul(k.transpose(2, 3))
        try scores.div_(Double(headSize).squareRoot())
        if let additiveMask = layout.additiveMask { try scores.add_(additiveMask) }
        let probabilities = try dropout(scores.softmax(dim: -1))
        return try layout.packed(probabilities.matmul(v).permute([0, 2, 1, 3]).reshape([n, length, width]))
    }

    /// Attention over unpadded states [N, L, hidden].
    public override func forward(_ hidden: Tensor) throws -> Tensor { try TokenLayout.unpadded(hidden, forward) }
}
