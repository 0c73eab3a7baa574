import CTorch

/// An n-dimensional array backed by a libtorch tensor. The handle is freed exactly once, when the last
/// Swift reference goes away. Operations return new tensors unless their name ends in `_` (in place).
///
/// `@unchecked Sendable`: the handle never changes after creation, and libtorch tensors may be read from
/// several threads; concurrent in-place writes are the caller's responsibility, as in PyTorch. Moving a module
/// (`Module.to`) swaps the data its tensors' handles hold, like PyTorch's `param.data = …`: as there, no other
/// thread may use the module meanwhile.
public final class Tensor: @unchecked Sendable {
    /// The engine handle, for the package's other C-API wrappers (GraftDistributed's collectives).
    package let handle: gt_tensor

    /// Takes ownership of a handle the engine returned; it is freed with the tensor.
    package init(owning handle: gt_tensor) {
        self.handle = handle
    }

    deinit {
        gt_free(handle)
    }

    /// Runs a C call producing one tensor, keeping the operands alive across it and turning failure into a throw;
    /// the operands must share a device.
    @inline(__always)
    static func make(
        _ op: String, _ operands: [Tensor], _ attributes: @autoclosure () -> [String: TraceAttribute] = [:],
        _ body: (UnsafeMutablePointer<gt_tensor?>) -> Int32
    ) throws -> Tensor {
        try requireOneDevice(op, operands)
        var out: gt_tensor?
        let status = withExtendedLifetime(operands) { body(&out) }
        guard status == 0, let handle = out else { throw TensorError.lastEngineError(op, operands) }
        let result = Tensor(owning: handle)
        if Trace.isRecording { Trace.note(op, operands, attributes(), [result], inPlace: false) }
        return result
    }

    /// Runs a C call producing two tensors (values and indices).
    static func makePair(
        _ op: String, _ operands: [Tensor], _ body: (UnsafeMutablePointer<gt_tensor?>, UnsafeMutablePointer<gt_tensor?>) -> Int32
    ) throws -> (Tensor, Tensor) {
        try requireOneDevice(op, operands)
        var first: gt_tensor?
        var second: gt_tensor?
        let status = withExtendedLifetime(operands) { body(&first, &second) }
        guard status == 0, let a = first, let b = second else {
            if let a = first { gt_free(a) }
            if let b = second { gt_free(b) }
            throw TensorError.lastEngineError(op, operands)
        }
        let result = (Tensor(owning: a), Tensor(owning: b))
        if Trace.isRecording { Trace.note(op, operands, [:], [result.0, result.1], inPlace: false) }
        return result
    }

    /// Runs a C call that updates tensors in place or writes plain values; the operands must share a device unless
    /// the call copies `acrossDevices`.
    static func check(_ op: String, _ operands: [Tensor], acrossDevices: Bool = false, _ body: () -> Int32) throws {
        if !acrossDevices { try requireOneDevice(op, operands) }
        let status = withExtendedLifetime(operands) { body() }
        guard status == 0 else { throw TensorError.lastEngineError(op, operands) }
    }

    /// Runs a C call that overwrites `operands[0]` in place, recording it when a trace is on.
    static func mutate(
        _ op: String, _ operands: [Tensor], _ attributes: @autoclosure () -> [String: TraceAttribute] = [:],
        acrossDevices: Bool = false, _ body: () -> Int32
    ) throws {
        try check(op, operands, acrossDevices: acrossDevices, body)
        if Trace.isRecording { Trace.note(op, operands, attributes(), [operands[0]], inPlace: true) }
    }

    /// The size of each dimension.
    public var shape: [Int] {
        let rank = Int(gt_ndim(handle))
        var dims = [Int64](repeating: 0, count: rank)
        _ = gt_shape(handle, &dims)
        return dims.map(Int.init)
    }

    /// Number of dimensions.
    public var rank: Int { Int(gt_ndim(handle)) }

    /// Number of elements.
    public var count: Int { Int(gt_numel(handle)) }

    /// Element type.
    public var dtype: DType { DType(rawValue: gt_dtype_of(handle)) ?? .float32 }

    /// Where the data lives.
    public var device: Device {
        var kind: Int32 = 0
        var index: Int32 = 0
        _ = gt_device_of(handle, &kind, &index)
        return Device(kind: kind, index: index)
    }

    /// Copies the elements out in row-major order (from any device but `meta`); `T` must match the tensor's dtype.
    public func scalars<T: TensorElement>(as type: T.Type = T.self) throws -> [T] {
        guard dtype == T.dtype else {
            throw TensorError.invalidArgument("scalars(as: \(T.self)): tensor holds \(dtype), convert it first with to(.\(T.dtype))")
        }
        let n = count
        return try [T](unsafeUninitializedCapacity: n) { buffer, initialized in
            try Tensor.check("scalars", [self]) { gt_copy_to(handle, buffer.baseAddress, n * MemoryLayout<T>.stride) }
            initialized = n
        }
    }

    /// The elements' raw little-endian bytes in row-major order (for writing checkpoint files).
    public func rawBytes() throws -> [UInt8] {
        let n = count * dtype.elementSize
        return try [UInt8](unsafeUninitializedCapacity: n) { buffer, initialized in
            try Tensor.check("rawBytes", [self]) { gt_copy_to(handle, buffer.baseAddress, n) }
            initialized = n
        }
    }

    /// The elements as `Float`, converting from any dtype.
    public func floats() throws -> [Float] {
        try (dtype == .float32 ? self : to(.float32)).scalars(as: Float.self)
    }

    /// The single value of a one-element tensor (on any device but `meta`).
    public func item() throws -> Double {
        var value = 0.0
        try Tensor.check("item", [self]) { gt_item(handle, &value) }
        return value
    }

    /// Gives a contiguous CPU tensor's memory to `body` for writing in place (e.g. assembling a batch without copies);
    /// throws for a tensor on another device, whose memory the CPU cannot address.
    public func withUnsafeMutableBuffer<T: TensorElement, R>(
        of type: T.Type, _ body: (UnsafeMutableBufferPointer<T>) throws -> R
    ) throws -> R {
        guard dtype == T.dtype else { throw TensorError.invalidArgument("buffer of \(T.self) requested from a \(dtype) tensor") }
        var pointer: UnsafeMutableRawPointer?
        try Tensor.check("dataPointer", [self]) { gt_data_ptr(handle, &pointer) }
        let typed = pointer.map { $0.bindMemory(to: T.self, capacity: count) }
        return try withExtendedLifetime(self) { try body(UnsafeMutableBufferPointer(start: typed, count: count)) }
    }
}

extension Tensor: CustomStringConvertible {
    /// PyTorch-style printout of the values.
    public var description: String {
        guard let text = gt_describe(handle) else { return "Tensor(\(shape), \(dtype))" }
        defer { gt_free_string(text) }
        return String(cString: text)
    }
}
