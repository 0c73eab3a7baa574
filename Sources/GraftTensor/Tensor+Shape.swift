import CTorch

extension Tensor {
    /// Same elements in a new shape (one dimension may be -1); copies only when the layout requires it.
    public func reshape(_ shape: [Int]) throws -> Tensor {
        let dims = shape.map(Int64.init)
        return try Tensor.make("reshape", [self], ["shape": .ints(shape)]) { gt_reshape(handle, dims, Int32(dims.count), $0) }
    }

    /// Same memory seen with a new shape; fails when the layout does not allow it.
    public func view(_ shape: [Int]) throws -> Tensor {
        let dims = shape.map(Int64.init)
        return try Tensor.make("view", [self], ["shape": .ints(shape)]) { gt_view(handle, dims, Int32(dims.count), $0) }
    }

    /// Reorders dimensions.
    public func permute(_ dims: [Int]) throws -> Tensor {
        let order = dims.map(Int64.init)
        return try Tensor.make("permute", [self], ["dims": .ints(dims)]) { gt_permute(handle, order, Int32(order.count), $0) }
    }

    /// Swaps two dimensions.
    public func transpose(_ dim0: Int, _ dim1: Int) throws -> Tensor {
        try Tensor.make("transpose", [self], ["dim0": .int(dim0), "dim1": .int(dim1)]) { gt_transpose(handle, Int64(dim0), Int64(dim1), $0) }
    }

    /// Broadcasts to a larger shape without copying (-1 keeps a dimension).
    public func expand(_ shape: [Int]) throws -> Tensor {
        let dims = shape.map(Int64.init)
        return try Tensor.make("expand", [self], ["shape": .ints(shape)]) { gt_expand(handle, dims, Int32(dims.count), $0) }
    }

    /// Joins tensors along an existing dimension.
    public static func cat(_ tensors: [Tensor], dim: Int = 0) throws -> Tensor {
        let handles: [gt_tensor?] = tensors.map(\.handle)
        return try make("cat", tensors, ["dim": .int(dim)]) { gt_cat(handles, Int32(handles.count), Int64(dim), $0) }
    }

    /// Joins tensors along a new dimension.
    public static func stack(_ tensors: [Tensor], dim: Int = 0) throws -> Tensor {
        let handles: [gt_tensor?] = tensors.map(\.handle)
        return try make("stack", tensors, ["dim": .int(dim)]) { gt_stack(handles, Int32(handles.count), Int64(dim), $0) }
    }

    /// Elements `start..<end` (by `step`) along `dim`, as a view.
    public func slice(dim: Int, start: Int, end: Int, step: Int = 1) throws -> Tensor {
        try Tensor.make("slice", [self], ["dim": .int(dim), "start": .int(start), "end": .int(end), "step": .int(step)]) { gt_slice(handle, Int64(dim), Int64(start), Int64(end), Int64(step), $0) }
    }

    /// The sub-tensor at `index` along `dim` (that dimension removed).
    public func select(dim: Int, index: Int) throws -> Tensor {
        try Tensor.make("select", [self], ["dim": .int(dim), "index": .int(index)]) { gt_select(handle, Int64(dim), Int64(index), $0) }
    }

    /// Gathers the entries listed in an int64 `index` tensor along `dim`.
    public func indexSelect(dim: Int, index: Tensor) throws -> Tensor {
        try Tensor.make("indexSelect", [self, index], ["dim": .int(dim)]) { gt_index_select(handle, Int64(dim), index.handle, $0) }
    }

    /// A copy whose entries at the int64 `index` along `dim` are `source`'s (PyTorch's out-of-place `index_copy`);
    /// gradients flow to both the copy's other entries and `source`.
    public func indexCopy(dim: Int, index: Tensor, source: Tensor) throws -> Tensor {
        try Tensor.make("indexCopy", [self, index, source], ["dim": .int(dim)]) { gt_index_copy(handle, Int64(dim), index.handle, source.handle, $0) }
    }

    /// Merges dimensions `start...end` into one.
    public func flatten(start: Int = 0, end: Int = -1) throws -> Tensor {
        try Tensor.make("flatten", [self], ["start": .int(start), "end": .int(end)]) { gt_flatten(handle, Int64(start), Int64(end), $0) }
    }

    /// Shifts the elements circularly by `shifts[i]` along `dims[i]` (`torch.roll`): what leaves one end re-enters at
    /// the other.
    public func roll(shifts: [Int], dims: [Int]) throws -> Tensor {
        guard shifts.count == dims.count else {
            throw TensorError.invalidArgument("roll: \(shifts.count) shifts for \(dims.count) dimensions")
        }
        let s = shifts.map(Int64.init), d = dims.map(Int64.init)
        return try Tensor.make("roll", [self], ["shifts": .ints(shifts), "dims": .ints(dims)]) { gt_roll(handle, s, d, Int32(s.count), $0) }
    }

    /// Removes a dimension of size 1.
    public func squeeze(dim: Int) throws -> Tensor {
        try Tensor.make("squeeze", [self], ["dim": .int(dim)]) { gt_squeeze(handle, Int64(dim), $0) }
    }

    /// Inserts a dimension of size 1.
    public func unsqueeze(dim: Int) throws -> Tensor {
        try Tensor.make("unsqueeze", [self], ["dim": .int(dim)]) { gt_unsqueeze(handle, Int64(dim), $0) }
    }
}
