import CTorch

extension Tensor {
    /// Uninitialised CPU memory that is page-locked (pinned), so a copy to a CUDA device can run while the host goes
    /// on (PyTorch's `torch.empty(shape, pin_memory=True)`). Needs a CUDA build of libtorch with a visible device.
    public static func emptyPinned(_ shape: [Int], dtype: DType = .float32) throws -> Tensor {
        try Device.cuda(0).checkAvailable()
        try validate(shape: shape)
        let dims = shape.map(Int64.init)
        return try make("emptyPinned", []) { gt_empty_pinned(dims, Int32(dims.count), dtype.code, $0) }
    }

    /// Whether the tensor lives in pinned host memory.
    public var isPinned: Bool { gt_is_pinned(handle) != 0 }

    /// This tensor on `device` (itself when already there). With `nonBlocking`, a copy from pinned memory to a CUDA
    /// device is queued on the device's stream and the call returns at once (PyTorch's `non_blocking=True`); later
    /// work on that device runs after it.
    public func to(device: Device, nonBlocking: Bool) throws -> Tensor {
        try device.checkAvailable()
        return try Tensor.make("to", [self]) { gt_to_device(handle, device.kind, device.index, nonBlocking ? 1 : 0, $0) }
    }
}

extension Device {
    /// Waits until all work queued on this device has finished (`torch.cuda.synchronize(device)`), as timing GPU work
    /// needs; returns at once for the CPU, whose operations finish before they return.
    public func synchronize() throws {
        guard case .cuda = self else { return }
        try checkAvailable()
        guard gt_device_synchronize(kind, index) == 0 else {
            throw TensorError.engine(op: "synchronize", operands: [], message: String(cString: gt_last_error()))
        }
    }
}
