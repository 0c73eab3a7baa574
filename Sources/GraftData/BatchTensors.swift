import GraftTensor

extension Batch {
    /// The batch as engine tensors on `device`: images [N, 3, H, W] float32 and labels [N] int64. The images are
    /// written straight into a CPU tensor's memory — pinned when `device` is a CUDA device, so the one copy there is
    /// queued without blocking while the loader prepares the next batch. Throws the loader's error for a batch that
    /// ended a `for batch in loader` loop.
    public func tensors(on device: Device = .cpu) throws -> (images: Tensor, labels: Tensor) {
        if let failure { throw failure }
        let pinned: Bool
        if case .cuda = device { pinned = true } else { pinned = false }
        let images = try pinned ? Tensor.emptyPinned(shape) : Tensor.empty(shape)
        try images.withUnsafeMutableBuffer(of: Float.self) { try copyImages(into: $0) }
        return (try images.to(device: device, nonBlocking: pinned), try Tensor(labels).to(device: device))
    }
}
