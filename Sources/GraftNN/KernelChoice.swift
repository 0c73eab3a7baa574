import GraftTensor

/// Whether autograd would record an operation on `tensors`: gradients are on and one of them requires a gradient.
/// Layers take inference-only kernels (folded batch norms) when it would not.
func gradientCanFlow(_ tensors: [Tensor?]) -> Bool {
    isGradEnabled && tensors.contains { $0?.requiresGrad ?? false }
}

extension Tensor {
    /// Multiply-adds below which BLAS beats oneDNN's inner product: converting the input to oneDNN's layout and the
    /// result back costs a fixed ~0.1 ms, which a [32×384]·[384×5] head (0.06 M) does not earn back; at 4.7 M
    /// oneDNN is already 1.3× faster forward and backward (docs/performance.md).
    static let oneDNNLinearMinimumMultiplyAdds = 1 << 20

    /// `linear(weight:bias:)` by the fastest kernel for the case: oneDNN's inner product when it is enabled
    /// (`Engine.withOneDNNLinear`), the layer is large enough, nothing is being traced (ONNX export keeps `linear`),
    /// autocast is off (it lowers `linear`'s precision, which the inner product would bypass) and the operands are
    /// float32 on the CPU (two to five times the BLAS product's speed, forward and backward, on
    /// AVX-512 CPUs; docs/performance.md), the BLAS product otherwise. The two differ only in float rounding.
    func linearPickingKernel(weight: Tensor, bias: Tensor?) throws -> Tensor {
        let multiplyAdds = count * (weight.shape.first ?? 0)
        let oneDNNApplies = Engine.isOneDNNLinearEnabled && !Trace.isRecording
            && multiplyAdds >= Self.oneDNNLinearMinimumMultiplyAdds && device == .cpu && !isAutocastEnabled(on: .cpu)
            && dtype == .float32 && weight.dtype == .float32 && (bias?.dtype ?? .float32) == .float32
        return try oneDNNApplies ? linearByOneDNN(weight: weight, bias: bias) : linear(weight: weight, bias: bias)
    }
}
