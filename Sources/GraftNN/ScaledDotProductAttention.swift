import GraftTensor

/// Attention of `query` over `key`/`value` [..., L, D] (heads in the leading dimensions): softmax(q·kᵀ·scale + bias)·v,
/// the core that `nn.MultiheadAttention` and torchvision's Swin window attention share. `query` is scaled before the
/// product, as both do (Swin multiplies by `scale`; PyTorch divides by √d, the same for power-of-two head sizes);
/// `bias` (broadcast to the scores [..., L, L]) may hold relative position biases or a mask of large negative numbers.
public func scaledDotProductAttention(query: Tensor, key: Tensor, value: Tensor, scale: Double, bias: Tensor? = nil) throws -> Tensor {
    let scores = try (query * scale).matmul(key.transpose(-2, -1))
    // The scores are a fresh matmul output whose backward needs only q and k, so adding in place is safe under autograd.
    if let bias { try scores.add_(bias) }
    return try scores.softmax(dim: -1).matmul(value)
}
