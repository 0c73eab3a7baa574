import CTorch

/// How a loss combines per-sample values.
public enum Reduction: Int32, Sendable {
    case none = 0, mean = 1, sum = 2
}

extension Tensor {
    /// 2-D convolution of an [N, C, H, W] input; `groups == C` gives a depthwise convolution.
    public func conv2d(
        weight: Tensor, bias: Tensor? = nil, stride: (Int, Int) = (1, 1), padding: (Int, Int) = (0, 0),
        dilation: (Int, Int) = (1, 1), groups: Int = 1
    ) throws -> Tensor {
        let s = [Int64(stride.0), Int64(stride.1)], p = [Int64(padding.0), Int64(padding.1)]
        let d = [Int64(dilation.0), Int64(dilation.1)]
        return try Tensor.make("conv2d", [self, weight] + (bias.map { [$0] } ?? []),
                               ["stride": .ints([stride.0, stride.1]), "padding": .ints([padding.0, padding.1]),
                                "dilation": .ints([dilation.0, dilation.1]), "groups": .int(groups)]) {
            gt_conv2d(handle, weight.handle, bias?.handle, s, p, d, Int64(groups), $0)
        }
    }

    /// Batch normalisation over the channel dimension. In training mode batch statistics are used and the
    /// running statistics (when given) are updated in place with `momentum`.
    public func batchNorm(
        weight: Tensor?, bias: Tensor?, runningMean: Tensor?, runningVar: Tensor?,
        training: Bool, momentum: Double = 0.1, eps: Double = 1e-5
    ) throws -> Tensor {
        let operands = [self] + [weight, bias, runningMean, runningVar].compactMap { $0 }
        let present = [weight, bias, runningMean, runningVar].map { $0 != nil }
        return try Tensor.make("batchNorm", operands, ["training": .bool(training), "eps": .double(eps),
                                                       "present": .ints(present.map { $0 ? 1 : 0 })]) {
            gt_batch_norm(handle, weight?.handle, bias?.handle, runningMean?.handle, runningVar?.handle,
                          training ? 1 : 0, momentum, eps, $0)
        }
    }

    /// Layer normalisation over the trailing `normalizedShape` dimensions. Under autocast a lower-precision input is
    /// normalised in float32, as libtorch 2.x's autocast does (1.13's CPU autocast has no rule for `layer_norm`: a
    /// bfloat16 input with float32 weights fails there, in PyTorch 1.13 too).
    public func layerNorm(normalizedShape: [Int], weight: Tensor?, bias: Tensor?, eps: Double = 1e-5) throws -> Tensor {
        if dtype != .float32, weight?.dtype == .float32, isAutocastEnabled(on: device) {
            return try float().layerNorm(normalizedShape: normalizedShape, weight: weight, bias: bias, eps: eps)
        }
        let dims = normalizedShape.map(Int64.init)
        return try Tensor.make("layerNorm", [self] + [weight, bias].compactMap { $0 },
                               ["normalizedShape": .ints(normalizedShape), "eps": .double(eps),
                                "present": .ints([weight, bias].map { $0 == nil ? 0 : 1 })]) {
            gt_layer_norm(handle, dims, Int32(dims.count), weight?.handle, bias?.handle, eps, $0)
        }
    }

    /// x · weightᵀ + bias.
    public func linear(weight: Tensor, bias: Tensor? = nil) throws -> Tensor {
        try Tensor.make("linear", [self, weight] + (bias.map { [$0] } ?? [])) { gt_linear(handle, weight.handle, bias?.handle, $0) }
    }

    /// `linear(weight:bias:)` computed by oneDNN's inner product instead of the BLAS matrix product: on this project's
    /// CPUs (AVX-512) two to five times as fast, forward and backward, for layers of a million multiply-adds or more
    /// (docs/performance.md); slower than BLAS for tiny ones. Differentiable; float32 on the CPU only.
    public func linearByOneDNN(weight: Tensor, bias: Tensor? = nil) throws -> Tensor {
        try Tensor.make("linearByOneDNN", [self, weight] + (bias.map { [$0] } ?? [])) { gt_linear_onednn(handle, weight.handle, bias?.handle, $0) }
    }

    /// Rows of this [V, D] table picked by an int64 index tensor; the row `paddingIndex` (when given) receives no
    /// gradient, as with `nn.Embedding(padding_idx=)`.
    public func embedding(indices: Tensor, paddingIndex: Int? = nil) throws -> Tensor {
        try Tensor.make("embedding", [self, indices], ["paddingIndex": .int(paddingIndex ?? -1)]) { gt_embedding(handle, indices.handle, Int64(paddingIndex ?? -1), $0) }
    }

    /// 2-D max pooling.
    public func maxPool2d(
        kernel: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0), dilation: (Int, Int) = (1, 1),
        ceilMode: Bool = false
    ) throws -> Tensor {
        let k = [Int64(kernel.0), Int64(kernel.1)], st = stride ?? kernel
        let s = [Int64(st.0), Int64(st.1)], p = [Int64(padding.0), Int64(padding.1)], d = [Int64(dilation.0), Int64(dilation.1)]
        return try Tensor.make("maxPool2d", [self], ["kernel": .ints([kernel.0, kernel.1]), "stride": .ints([st.0, st.1]),
                                                "padding": .ints([padding.0, padding.1]), "dilation": .ints([dilation.0, dilation.1]),
                                                "ceilMode": .bool(ceilMode)]) { gt_max_pool2d(handle, k, s, p, d, ceilMode ? 1 : 0, $0) }
    }

    /// 2-D average pooling.
    public func avgPool2d(
        kernel: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0), ceilMode: Bool = false,
        countIncludePad: Bool = true
    ) throws -> Tensor {
        let k = [Int64(kernel.0), Int64(kernel.1)], st = stride ?? kernel
        let s = [Int64(st.0), Int64(st.1)], p = [Int64(padding.0), Int64(padding.1)]
        return try Tensor.make("avgPool2d", [self], ["kernel": .ints([kernel.0, kernel.1]), "stride": .ints([st.0, st.1]),
                                                "padding": .ints([padding.0, padding.1]), "ceilMode": .bool(ceilMode),
                                                "countIncludePad": .bool(countIncludePad)]) { gt_avg_pool2d(handle, k, s, p, ceilMode ? 1 : 0, countIncludePad ? 1 : 0, $0) }
    }

    /// Average pooling to a fixed output size.
    public func adaptiveAvgPool2d(_ outputSize: (Int, Int)) throws -> Tensor {
        let size = [Int64(outputSize.0), Int64(outputSize.1)]
        return try Tensor.make("adaptiveAvgPool2d", [self], ["outputSize": .ints([outputSize.0, outputSize.1])]) { gt_adaptive_avg_pool2d(handle, size, $0) }
    }

    /// Zeroes elements with probability `p` and rescales the rest, in training mode only.
    public func dropout(p: Double, training: Bool) throws -> Tensor {
        try Tensor.make("dropout", [self], ["p": .double(p), "training": .bool(training)]) { gt_dropout(handle, p, training ? 1 : 0, $0) }
    }

    /// Pads the last dimensions with `value`; `pads` lists (left, right, top, bottom, …) like `F.pad`.
    public func pad(_ pads: [Int], value: Double = 0) throws -> Tensor {
        let p = pads.map(Int64.init)
        return try Tensor.make("pad", [self], ["pads": .ints(pads), "value": .double(value)]) { gt_pad(handle, p, Int32(p.count), value, $0) }
    }

    /// Images [N, C, H, W] resized to `size` (height, width) by bicubic interpolation (`F.interpolate(mode="bicubic")`);
    /// `alignCorners` maps the corner pixels' centres onto each other.
    public func upsampleBicubic2d(size: (Int, Int), alignCorners: Bool) throws -> Tensor {
        let s = [Int64(size.0), Int64(size.1)]
        return try Tensor.make("upsampleBicubic2d", [self], ["alignCorners": .bool(alignCorners)]) {
            gt_upsample_bicubic2d(handle, s, alignCorners ? 1 : 0, $0)
        }
    }

    /// Softmax along `dim`.
    public func softmax(dim: Int) throws -> Tensor { try Tensor.make("softmax", [self], ["dim": .int(dim)]) { gt_softmax(handle, Int64(dim), $0) } }

    /// Log-softmax along `dim`.
    public func logSoftmax(dim: Int) throws -> Tensor { try Tensor.make("logSoftmax", [self], ["dim": .int(dim)]) { gt_log_softmax(handle, Int64(dim), $0) } }

    /// Cross-entropy of these [N, C] logits against int64 class `targets` [N], with optional per-class
    /// weights and label smoothing, exactly as `torch.nn.functional.cross_entropy`.
    public func crossEntropy(
        targets: Tensor, weight: Tensor? = nil, reduction: Reduction = .mean, ignoreIndex: Int = -100,
        labelSmoothing: Double = 0
    ) throws -> Tensor {
        try Tensor.make("crossEntropy", [self, targets] + (weight.map { [$0] } ?? [])) {
            gt_cross_entropy(handle, targets.handle, weight?.handle, gt_reduction(rawValue: UInt32(reduction.rawValue)),
                             Int64(ignoreIndex), labelSmoothing, $0)
        }
    }
}
