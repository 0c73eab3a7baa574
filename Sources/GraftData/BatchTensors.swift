import GraftTensor

extension Batch {
    /// The batch as engine tensors: images [N, 3, H, W] float32 (written straight into the tensor's memory)
    /// and labels [N] int64. Throws the loader's error for a batch that ended a `for batch in loader` loop.
    public func tensors() throws -> (images: Tensor, labels: Tensor) {
        if let failure { throw failure }
        let images = try Tensor.empty(shape)
        try images.withUnsafeMutableBuffer(of: Float.self) { try copyImages(into: $0) }
        return (images, try Tensor(labels))
    }
}
