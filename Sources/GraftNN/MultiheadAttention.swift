import Foundation
import GraftTensor

/// Multi-head self-attention with PyTorch's `nn.MultiheadAttention` parameters (`in_proj_weight` [3E, E] and
/// `in_proj_bias` [3E] packing the query, key and value projections, then `out_proj`), on batch-first sequences
/// [N, L, E] (`batch_first=True`), without attention dropout.
public final class MultiheadAttention: Module {
    /// Embedding width E.
    public let embedDim: Int
    /// Number of heads; E must be a multiple of it.
    public let heads: Int
    /// [3E, E]: the query, key and value projections stacked.
    public let inProjWeight: Tensor
    /// [3E].
    public let inProjBias: Tensor
    /// E → E after the heads are joined.
    public let outProj: Linear

    /// Layers initialised as PyTorch does (Xavier-uniform packed projections, zero biases).
    public init(embedDim: Int, heads: Int) throws {
        guard heads >= 1, embedDim % heads == 0 else {
            throw NNError.invalidConfiguration("MultiheadAttention: embed_dim \(embedDim) is not a multiple of num_heads \(heads)")
        }
        self.embedDim = embedDim
        self.heads = heads
        inProjWeight = try Initialization.xavierUniform([3 * embedDim, embedDim], fanIn: embedDim, fanOut: 3 * embedDim)
        inProjBias = try Initialization.constant([3 * embedDim], 0)
        let outProj = try Linear(embedDim, embedDim)
        try withNoGrad { try outProj.bias?.fill_(0) }
        self.outProj = outProj
        super.init()
    }

    public override var ownParameters: [(String, Tensor)] { [("in_proj_weight", inProjWeight), ("in_proj_bias", inProjBias)] }

    public override var namedChildren: [(String, Module)] { [("out_proj", outProj)] }

    /// Self-attention of `input` [N, L, E] over itself: [N, L, E]. The projections run on oneDNN (see
    /// `Tensor.linearPickingKernel`): faster than libtorch's fused attention kernel, whose projections use BLAS.
    public override func forward(_ input: Tensor) throws -> Tensor {
        let (n, length) = (input.shape[0], input.shape[1])
        let headSize = embedDim / heads
        // [N, L, 3E] → [3, N, heads, L, headSize]
        let qkv = try input.linearPickingKernel(weight: inProjWeight, bias: inProjBias).view([n, length, 3, heads, headSize]).permute([2, 0, 3, 1, 4])
        let attended = try scaledDotProductAttention(
            query: qkv.select(dim: 0, index: 0), key: qkv.select(dim: 0, index: 1), value: qkv.select(dim: 0, index: 2),
            scale: 1 / Double(headSize).squareRoot())
        return try outProj(attended.permute([0, 2, 1, 3]).reshape([n, length, embedDim]))
    }
}
