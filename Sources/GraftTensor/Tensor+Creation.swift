import CTorch

extension Tensor {
    /// A tensor holding a copy of `values` with the given shape (row-major).
    public convenience init<T: TensorElement>(_ values: [T], shape: [Int]) throws {
        let handle = try values.withUnsafeBytes { try Tensor.copying($0, count: values.count, dtype: T.dtype, shape: shape) }
        self.init(owning: handle)
    }

    /// A tensor holding a copy of raw little-endian element bytes of `dtype` (as stored in checkpoint files).
    public convenience init(rawBytes: [UInt8], dtype: DType, shape: [Int]) throws {
        guard rawBytes.count % dtype.elementSize == 0 else {
            throw TensorError.invalidArgument("Tensor(rawBytes:): \(rawBytes.count) bytes is not a whole number of \(dtype) elements")
        }
        let count = rawBytes.count / dtype.elementSize
        let handle = try rawBytes.withUnsafeBytes { try Tensor.copying($0, count: count, dtype: dtype, shape: shape) }
        self.init(owning: handle)
    }

    /// A new tensor handle holding `count` elements of `dtype` copied from `bytes`, checked against `shape`.
    private static func copying(_ bytes: UnsafeRawBufferPointer, count: Int, dtype: DType, shape: [Int]) throws -> gt_tensor {
        try validate(shape: shape)
        let expected = shape.reduce(1, *)
        guard count == expected else {
            throw TensorError.invalidArgument("Tensor(shape: \(shape)): shape holds \(expected) elements, got \(count) values")
        }
        let dims = shape.map(Int64.init)
        var out: gt_tensor?
        guard gt_from_data(bytes.baseAddress, dims, Int32(dims.count), dtype.code, &out) == 0, let handle = out else {
            throw TensorError.lastEngineError("Tensor(values, shape:)", [])
        }
        return handle
    }

    /// A one-dimensional tensor holding a copy of `values`.
    public convenience init<T: TensorElement>(_ values: [T]) throws {
        try self.init(values, shape: [values.count])
    }

    /// A zero-dimensional tensor holding one value.
    public convenience init<T: TensorElement>(scalar: T) throws {
        try self.init([scalar], shape: [])
    }

    static func validate(shape: [Int]) throws {
        if let bad = shape.first(where: { $0 < 0 }) {
            throw TensorError.invalidArgument("shape \(shape) has a negative dimension (\(bad))")
        }
    }

    private static func create(
        _ op: String, _ shape: [Int], on device: Device, _ attributes: [String: TraceAttribute] = [:],
        _ body: ([Int64], Int32, UnsafeMutablePointer<gt_tensor?>) -> Int32
    ) throws -> Tensor {
        try device.checkAvailable()
        try validate(shape: shape)
        let dims = shape.map(Int64.init)
        return try make(op, [], attributes.merging(["shape": .ints(shape)]) { $1 }) { body(dims, Int32(dims.count), $0) }
    }

    /// Uninitialised memory of the given shape.
    public static func empty(_ shape: [Int], dtype: DType = .float32, device: Device = .cpu) throws -> Tensor {
        try create("empty", shape, on: device) { gt_empty($0, $1, dtype.code, device.kind, device.index, $2) }
    }

    /// Uninitialised CPU memory that is page-locked (pinned), so a copy to a CUDA device can run while the host goes
    /// on (PyTorch's `torch.empty(shape, pin_memory=True)`). Needs a CUDA build of libtorch with a visible device.
    public static func emptyPinned(_ shape: [Int], dtype: DType = .float32) throws -> Tensor {
        try create("emptyPinned", shape, on: .cuda(0)) { gt_empty_pinned($0, $1, dtype.code, $2) }
    }

    /// Every element equal to `value`.
    public static func full(_ shape: [Int], value: Double, dtype: DType = .float32, device: Device = .cpu) throws -> Tensor {
        try create("full", shape, on: device, ["value": .double(value), "dtype": .dtype(dtype)]) { gt_full($0, $1, value, dtype.code, device.kind, device.index, $2) }
    }

    /// All zeros.
    public static func zeros(_ shape: [Int], dtype: DType = .float32, device: Device = .cpu) throws -> Tensor {
        try full(shape, value: 0, dtype: dtype, device: device)
    }

    /// All ones.
    public static func ones(_ shape: [Int], dtype: DType = .float32, device: Device = .cpu) throws -> Tensor {
        try full(shape, value: 1, dtype: dtype, device: device)
    }

    /// Standard normal samples from the global generator (see `Engine.manualSeed`).
    public static func randn(_ shape: [Int], dtype: DType = .float32, device: Device = .cpu) throws -> Tensor {
        try create("randn", shape, on: device) { gt_randn($0, $1, dtype.code, device.kind, device.index, $2) }
    }

    /// Uniform samples in [0, 1).
    public static func rand(_ shape: [Int], dtype: DType = .float32, device: Device = .cpu) throws -> Tensor {
        try create("rand", shape, on: device) { gt_rand($0, $1, dtype.code, device.kind, device.index, $2) }
    }

    /// Uniform integers in [low, high).
    public static func randint(low: Int, high: Int, _ shape: [Int], dtype: DType = .int64, device: Device = .cpu) throws -> Tensor {
        try create("randint", shape, on: device) { gt_randint(Int64(low), Int64(high), $0, $1, dtype.code, device.kind, device.index, $2) }
    }

    /// A random permutation of 0..<n (int64).
    public static func randperm(_ n: Int) throws -> Tensor {
        try make("randperm", []) { gt_randperm(Int64(n), $0) }
    }

    /// Values from `start` up to (excluding) `end` in steps of `step`.
    public static func arange(_ start: Double = 0, _ end: Double, step: Double = 1, dtype: DType = .float32, device: Device = .cpu) throws -> Tensor {
        try device.checkAvailable()
        return try make("arange", [], ["start": .double(start), "end": .double(end), "step": .double(step), "dtype": .dtype(dtype)]) { gt_arange(start, end, step, dtype.code, device.kind, device.index, $0) }
    }

    /// Fills in place with uniform samples in [low, high).
    public func uniform_(_ low: Double, _ high: Double) throws {
        try Tensor.mutate("uniform_", [self]) { gt_uniform_(handle, low, high) }
    }

    /// Fills in place with normal samples.
    public func normal_(mean: Double = 0, std: Double = 1) throws {
        try Tensor.mutate("normal_", [self]) { gt_normal_(handle, mean, std) }
    }

    /// Fills in place with 1 (probability `p`) or 0, the same draw as torch's `bernoulli_(p)` after the same seed.
    public func bernoulli_(_ p: Double) throws {
        try Tensor.check("bernoulli_", [self]) { gt_bernoulli_(handle, p) }
    }
}

extension Tensor {
    /// Converts to another dtype and/or device (a no-op copy-free view when nothing changes); throws
    /// `TensorError.deviceUnavailable` for a device this libtorch or machine lacks. With `nonBlocking`, a copy from
    /// pinned memory (`emptyPinned`) to a CUDA device is queued on the device's stream and the call returns at once
    /// (PyTorch's `non_blocking=True`); later work on that device runs after it.
    public func to(_ dtype: DType? = nil, device: Device? = nil, nonBlocking: Bool = false) throws -> Tensor {
        try device?.checkAvailable()
        let target = device ?? self.device
        return try Tensor.make("to", [self], ["dtype": .dtype(dtype ?? self.dtype)]) {
            gt_to(handle, (dtype ?? self.dtype).code, target.kind, target.index, nonBlocking ? 1 : 0, $0)
        }
    }

    /// The tensor as float32, itself when it already is (PyTorch's `.float()`): for example a bfloat16 result of
    /// autocast going on in float32.
    public func float() throws -> Tensor { dtype == .float32 ? self : try to(.float32) }

    /// A copy with its own memory.
    public func clone() throws -> Tensor { try Tensor.make("clone", [self]) { gt_clone(handle, $0) } }

    /// A row-major contiguous version.
    public func contiguous() throws -> Tensor { try Tensor.make("contiguous", [self]) { gt_contiguous(handle, $0) } }

    /// The same values in channels-last (NHWC) memory order, which oneDNN often runs faster.
    public func channelsLast() throws -> Tensor { try Tensor.make("channelsLast", [self]) { gt_channels_last(handle, $0) } }

    /// The same data, cut from the autograd graph.
    public func detached() throws -> Tensor { try Tensor.make("detach", [self]) { gt_detach(handle, $0) } }

    /// Copies `source` into this tensor in place (broadcasting, converting dtype, from any device but `meta`).
    public func copy_(from source: Tensor) throws {
        try Tensor.mutate("copy_", [self, source], acrossDevices: true) { gt_copy_(handle, source.handle) }
    }

    /// Sets every element in place.
    public func fill_(_ value: Double) throws { try Tensor.mutate("fill_", [self], ["value": .double(value)]) { gt_fill_(handle, value) } }
}
