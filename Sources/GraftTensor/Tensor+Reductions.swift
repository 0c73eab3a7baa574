import CTorch

extension Tensor {
    /// Sum over `dims` (all dimensions when empty).
    public func sum(dims: [Int] = [], keepDim: Bool = false) throws -> Tensor {
        let d = dims.map(Int64.init)
        return try Tensor.make("sum", [self], ["dims": .ints(dims), "keepDim": .bool(keepDim)]) { gt_sum(handle, d, Int32(d.count), keepDim ? 1 : 0, $0) }
    }

    /// Mean over `dims` (all dimensions when empty).
    public func mean(dims: [Int] = [], keepDim: Bool = false) throws -> Tensor {
        let d = dims.map(Int64.init)
        return try Tensor.make("mean", [self], ["dims": .ints(dims), "keepDim": .bool(keepDim)]) { gt_mean(handle, d, Int32(d.count), keepDim ? 1 : 0, $0) }
    }

    /// Variance over `dims` (all dimensions when empty), unbiased by default like PyTorch.
    public func variance(dims: [Int] = [], unbiased: Bool = true, keepDim: Bool = false) throws -> Tensor {
        let d = dims.map(Int64.init)
        return try Tensor.make("var", [self]) { gt_var(handle, d, Int32(d.count), unbiased ? 1 : 0, keepDim ? 1 : 0, $0) }
    }

    /// Largest value and its index along `dim`.
    public func max(dim: Int, keepDim: Bool = false) throws -> (values: Tensor, indices: Tensor) {
        try Tensor.makePair("max", [self]) { gt_max_dim(handle, Int64(dim), keepDim ? 1 : 0, $0, $1) }
    }

    /// Smallest value and its index along `dim`.
    public func min(dim: Int, keepDim: Bool = false) throws -> (values: Tensor, indices: Tensor) {
        try Tensor.makePair("min", [self]) { gt_min_dim(handle, Int64(dim), keepDim ? 1 : 0, $0, $1) }
    }

    /// Largest element.
    public func max() throws -> Tensor { try Tensor.make("max", [self]) { gt_max_all(handle, $0) } }

    /// Smallest element.
    public func min() throws -> Tensor { try Tensor.make("min", [self]) { gt_min_all(handle, $0) } }

    /// Index of the largest value along `dim`.
    public func argmax(dim: Int, keepDim: Bool = false) throws -> Tensor {
        try Tensor.make("argmax", [self]) { gt_argmax(handle, Int64(dim), keepDim ? 1 : 0, $0) }
    }

    /// The `k` largest (or smallest) values along `dim`, sorted, with their indices.
    public func topk(_ k: Int, dim: Int = -1, largest: Bool = true) throws -> (values: Tensor, indices: Tensor) {
        try Tensor.makePair("topk", [self]) { gt_topk(handle, Int64(k), Int64(dim), largest ? 1 : 0, $0, $1) }
    }

    /// Euclidean (Frobenius) norm of all elements.
    public func norm() throws -> Tensor { try Tensor.make("norm", [self]) { gt_norm(handle, $0) } }

    /// Whether every element is within `atol + rtol·|other|` of `other`.
    public func allClose(_ other: Tensor, rtol: Double = 1e-5, atol: Double = 1e-8) throws -> Bool {
        var result: Int32 = 0
        try Tensor.check("allClose", [self, other]) { gt_allclose(handle, other.handle, rtol, atol, &result) }
        return result != 0
    }

    /// Whether no element is NaN or infinite.
    public func isFinite() throws -> Bool {
        var result: Int32 = 0
        try Tensor.check("isFinite", [self]) { gt_isfinite_all(handle, &result) }
        return result != 0
    }
}
