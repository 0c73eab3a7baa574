import GraftTensor

/// Whether autograd would record an operation on `tensors`: gradients are on and one of them requires a gradient.
/// Layers take inference-only kernels (folded batch norms, oneDNN's inner product) when it would not.
func gradientCanFlow(_ tensors: [Tensor?]) -> Bool {
    isGradEnabled && tensors.contains { $0?.requiresGrad ?? false }
}

extension Tensor {
    /// `linear(weight:bias:)` by the fastest kernel for the case: oneDNN's inner product when no gradient can flow,
    /// nothing is being traced and the operands are float32 on the CPU (two to three times the BLAS matrix product's
    /// speed for transformer-sized layers on AVX-512 CPUs; docs/performance.md), the BLAS product otherwise. The two
    /// differ only in float rounding.
    func linearPickingKernel(weight: Tensor, bias: Tensor?) throws -> Tensor {
        let oneDNNApplies = !Trace.isRecording && !gradientCanFlow([self, weight, bias]) && device == .cpu
            && dtype == .float32 && weight.dtype == .float32 && (bias?.dtype ?? .float32) == .float32
        return try oneDNNApplies ? linearByOneDNN(weight: weight, bias: bias) : linear(weight: weight, bias: bias)
    }
}
