import CTorch

extension Tensor {
    /// Whether the tensor lives in pinned host memory.
    public var isPinned: Bool { gt_is_pinned(handle) != 0 }
}

extension Device {
    /// Waits until all work queued on this device has finished (`torch.cuda.synchronize(device)`), as timing GPU work
    /// needs; returns at once for the CPU, whose operations finish before they return.
    public func synchronize() throws {
        guard case .cuda = self else { return }
        try checkAvailable()
        guard gt_device_synchronize(kind, index) == 0 else {
            throw TensorError.lastEngineError("synchronize", [])
        }
    }
}
