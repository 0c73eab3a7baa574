import GraftNN
import GraftTensor

/// Where the real tokens of a padded batch [N, L] lie. BERT's per-token layers (projections, feed-forward, LayerNorm)
/// — nearly all of its work — run on the real tokens only, packed as rows [T, width]; attention alone needs the padded
/// [N, L] layout, so its inputs are scattered back into it and its output gathered again. With a tenth of a batch
/// padded this saves about a tenth of a step; without padding the layouts are views of each other and nothing moves.
public struct TokenLayout {
    /// Texts in the batch.
    public let rows: Int
    /// Padded length of every text.
    public let length: Int
    /// Positions `row * length + column` of the real tokens, ascending; nil when no position is padded.
    let tokenIndex: Tensor?
    /// The additive attention mask [N, 1, 1, L] (0 keeps a key, the lowest float hides it); nil without padding.
    let additiveMask: Tensor?

    /// The layout of attention mask `mask` [N, L] (1 or nonzero for a token, 0 for padding); `dtype` is the hidden
    /// states' element type, for the additive mask. While a `Trace` records, every position is kept (padded ones too,
    /// hidden from attention by the mask alone), so the recorded graph holds for any mask.
    public init(mask: Tensor, dtype: DType) throws {
        guard mask.rank == 2 else {
            throw NNError.invalidConfiguration("BERT input: an attention mask must be [N, L], got \(mask.shape)")
        }
        let (rows, length) = (mask.shape[0], mask.shape[1])
        (self.rows, self.length) = (rows, length)
        // Hugging Face's `(1 - mask) * finfo.min`, added to the attention scores.
        func additive() throws -> Tensor { try (mask.to(dtype).view([rows, 1, 1, length]) - 1) * Double(Float.greatestFiniteMagnitude) }
        if Trace.isRecording {
            // A traced forward must not depend on this batch's mask values: every position stays, the mask only hides keys.
            (tokenIndex, additiveMask) = (nil, try additive())
            return
        }
        let keep = try mask.to(.int64).scalars(as: Int64.self)
        let positions = keep.indices.filter { keep[$0] != 0 }.map(Int64.init)
        guard positions.count < keep.count else {
            (tokenIndex, additiveMask) = (nil, nil)
            return
        }
        tokenIndex = try Tensor(positions).to(device: mask.device)
        additiveMask = try additive()
    }

    /// The layout of an unpadded batch of `rows` texts of `length` tokens.
    public init(rows: Int, length: Int) {
        (self.rows, self.length, tokenIndex, additiveMask) = (rows, length, nil, nil)
    }

    /// Number of real tokens T.
    public var tokenCount: Int { tokenIndex?.shape[0] ?? rows * length }

    /// The real tokens' rows [T, width] of padded states [N, L, width].
    public func packed(_ padded: Tensor) throws -> Tensor {
        let flat = try padded.reshape([rows * length, padded.shape[2]])
        guard let tokenIndex else { return flat }
        return try flat.indexSelect(dim: 0, index: tokenIndex)
    }

    /// Padded states [N, L, width] of token rows [T, width], zero at padded positions.
    public func padded(_ tokens: Tensor) throws -> Tensor {
        let width = tokens.shape[1]
        guard let tokenIndex else { return try tokens.view([rows, length, width]) }
        let zeros = try Tensor.zeros([rows * length, width], dtype: tokens.dtype, device: tokens.device)
        return try zeros.indexCopy(dim: 0, index: tokenIndex, source: tokens).view([rows, length, width])
    }

    /// `body`'s output [N, L, width'] for unpadded states [N, L, width], which it receives as token rows [N·L, width]
    /// with their layout: how BERT's layers also serve as plain `Module`s.
    static func unpadded(_ hidden: Tensor, _ body: (Tensor, TokenLayout) throws -> Tensor) throws -> Tensor {
        guard hidden.rank == 3 else {
            throw NNError.invalidConfiguration("a BERT layer's input must be [N, L, hidden], got \(hidden.shape)")
        }
        let layout = TokenLayout(rows: hidden.shape[0], length: hidden.shape[1])
        return try layout.padded(body(layout.packed(hidden), layout))
    }
}
