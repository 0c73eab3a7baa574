import GraftTensor

extension Batch {
    /// The batch as engine tensors on `device`: images [N, 3, H, W] float32 (written straight into a CPU tensor's
    /// memory, then copied once to another device) and labels [N] int64. Throws the loader's error for a batch that
    /// ended a `for batch in loader` loop.
    public func tensors(on device: Device = .cpu) throws -> (images: Tensor, labels: Tensor) {
        if let failure { throw failure }
        let images = try Tensor.empty(shape)
        try images.withUnsafeMutableBuffer(of: Float.self) { try copyImages(into: $0) }
        return (try images.to(device: device), try Tensor(labels).to(device: device))
    }
}
