import GraftTensor

extension Tensor {
    /// An elementwise step on this tensor, done in place when no gradient is recorded (inference), as torchvision's
    /// `inplace=True` layers do: one pass over memory and no new tensor. Use it only on a fresh intermediate result that
    /// nothing else reads. With gradient recording on, `recorded` computes a new tensor that autograd can differentiate.
    public func overwrittenDuringInference(_ inPlace: (Tensor) throws -> Void, otherwise recorded: (Tensor) throws -> Tensor) throws -> Tensor {
        guard !isGradEnabled else { return try recorded(self) }
        try inPlace(self)
        return self
    }
}
