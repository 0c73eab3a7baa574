import GraftNN
import GraftTensor

/// torchvision's `ShiftedWindowAttention` (Swin V1): multi-head self-attention inside non-overlapping windows of
/// images [N, H, W, C] padded to a window multiple, with a learnt relative position bias, the windows optionally
/// shifted (`torch.roll`) with a mask keeping attention inside each unshifted region.
final class ShiftedWindowAttention: Module {
    let windowSize: Int, shiftSize: Int, heads: Int
    let qkv: Linear, proj: Linear
    /// [(2w - 1)², heads]: one bias per relative offset and head.
    let relativePositionBiasTable: Tensor
    /// [w⁴] int64: the table row of each (query, key) pair of a window.
    let relativePositionIndex: Tensor

    init(dim: Int, windowSize: Int, shiftSize: Int, heads: Int) throws {
        self.windowSize = windowSize
        self.shiftSize = shiftSize
        self.heads = heads
        qkv = try Linear(dim, 3 * dim)
        proj = try Linear(dim, dim)
        relativePositionBiasTable = try Initialization.truncatedNormal([(2 * windowSize - 1) * (2 * windowSize - 1), heads], std: 0.02)
        let cells = (0..<windowSize * windowSize).map { ($0 / windowSize, $0 % windowSize) }
        let index = cells.flatMap { query in
            cells.map { key in Int64((query.0 - key.0 + windowSize - 1) * (2 * windowSize - 1) + query.1 - key.1 + windowSize - 1) }
        }
        relativePositionIndex = try Tensor(index, shape: [index.count])
        super.init()
    }

    override var ownParameters: [(String, Tensor)] { [("relative_position_bias_table", relativePositionBiasTable)] }

    override var ownBuffers: [(String, Tensor)] { [("relative_position_index", relativePositionIndex)] }

    override var namedChildren: [(String, Module)] { [("qkv", qkv), ("proj", proj)] }

    /// `shifted_window_attention` on `input` [N, H, W, C]: the same layout out.
    override func forward(_ input: Tensor) throws -> Tensor {
        let (n, height, width, channels) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
        let w = windowSize
        let (padHeight, padWidth) = (height + (w - height % w) % w, width + (w - width % w) % w)
        var x = try input.pad([0, 0, 0, padWidth - width, 0, padHeight - height])
        // A window covering the whole padded side is not shifted along it.
        let shift = (w >= padHeight ? 0 : shiftSize, w >= padWidth ? 0 : shiftSize)
        let shifted = shift.0 + shift.1 > 0
        if shifted { x = try x.roll(shifts: [-shift.0, -shift.1], dims: [1, 2]) }
        let (rows, columns) = (padHeight / w, padWidth / w)
        let windows = rows * columns, length = w * w, headSize = channels / heads
        x = try x.view([n, rows, w, columns, w, channels]).permute([0, 1, 3, 2, 4, 5]).reshape([n * windows, length, channels])

        // [3, N·windows, heads, w², headSize]
        let packed = try qkv(x).reshape([n * windows, length, 3, heads, headSize]).permute([2, 0, 3, 1, 4])
        var (q, k, v) = (try packed.select(dim: 0, index: 0), try packed.select(dim: 0, index: 1), try packed.select(dim: 0, index: 2))
        // [1, heads, w², w²]
        var bias = try relativePositionBiasTable.indexSelect(dim: 0, index: relativePositionIndex)
            .view([length, length, heads]).permute([2, 0, 1]).unsqueeze(dim: 0)
        if shifted {
            // Per image: [N, windows, heads, w², headSize] against a bias [1, windows, heads, w², w²].
            let mask = try shiftMask(height: padHeight, width: padWidth, shift: shift).to(bias.dtype, device: bias.device)
            bias = try bias.unsqueeze(dim: 0) + mask.unsqueeze(dim: 1).unsqueeze(dim: 0)
            (q, k, v) = (try q.reshape([n, windows, heads, length, headSize]), try k.reshape([n, windows, heads, length, headSize]),
                         try v.reshape([n, windows, heads, length, headSize]))
        }
        let attended = try scaledDotProductAttention(query: q, key: k, value: v, scale: 1 / Double(headSize).squareRoot(), bias: bias)
        x = try proj(attended.reshape([n * windows, heads, length, headSize]).transpose(1, 2).reshape([n * windows, length, channels]))
        x = try x.view([n, rows, columns, w, w, channels]).permute([0, 1, 3, 2, 4, 5]).reshape([n, padHeight, padWidth, channels])
        if shifted { x = try x.roll(shifts: [shift.0, shift.1], dims: [1, 2]) }
        return try x.slice(dim: 1, start: 0, end: height).slice(dim: 2, start: 0, end: width).contiguous()
    }

    /// [windows, w², w²]: 0 where query and key come from the same region of the rolled image, -100 elsewhere (the
    /// regions torchvision labels with its three row and three column slices).
    func shiftMask(height: Int, width: Int, shift: (Int, Int)) throws -> Tensor {
        let w = windowSize
        func region(_ position: Int, _ size: Int, _ shift: Int) -> Int { position < size - w ? 0 : position < size - shift ? 1 : 2 }
        let (rows, columns) = (height / w, width / w)
        var mask: [Float] = []
        mask.reserveCapacity(rows * columns * w * w * w * w)
        for row in 0..<rows {
            for column in 0..<columns {
                let labels = (0..<w * w).map { cell in
                    3 * region(row * w + cell / w, height, shift.0) + region(column * w + cell % w, width, shift.1)
                }
                for query in labels { for key in labels { mask.append(query == key ? 0 : -100) } }
            }
        }
        return try Tensor(mask, shape: [rows * columns, w * w, w * w])
    }
}
