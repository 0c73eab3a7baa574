import CTorch

/// The floating-point precision a network's forward pass computes in: PyTorch's automatic mixed precision. Parameters,
/// gradients, optimizer state and checkpoints stay float32 ("master weights") whatever the precision.
public enum Precision: String, Sendable, CaseIterable, CustomStringConvertible {
    /// Everything in float32 (the default).
    case fp32
    /// Autocast to bfloat16: float32's range with 8 bits of mantissa; no loss scaling needed. CPU and CUDA.
    case bf16
    /// Autocast to float16: more mantissa, little range, so the loss is scaled (`GradientScaler`). CUDA (and the CPU
    /// from libtorch 2.x).
    case fp16

    /// The dtype autocast computes eligible ops in, or nil for `fp32`.
    public var autocastDType: DType? {
        switch self {
        case .fp32: return nil
        case .bf16: return .bfloat16
        case .fp16: return .float16
        }
    }

    /// Whether training needs a gradient scaler: float16 gradients underflow without one.
    public var needsLossScaling: Bool { self == .fp16 }

    public var description: String { rawValue }
}

/// Runs `body` with libtorch's autocast on for `device`'s type on this thread, as PyTorch's
/// `with torch.autocast(device_type, dtype=dtype):` does: matrix products and convolutions compute in `dtype`
/// (bfloat16 or float16), precision-sensitive ops (softmax, norms, losses) in float32, each op's inputs cast as it
/// runs. The previous state is restored afterwards, also when `body` throws. Throws `TensorError.invalidArgument` for a
/// dtype the device cannot autocast to (libtorch 1.13 autocasts the CPU to bfloat16 only).
///
/// Autocast is thread-local in libtorch: call it around synchronous work only. Run the backward pass outside it.
public func withAutocast<R>(_ dtype: DType, on device: Device, _ body: () throws -> R) throws -> R {
    try device.checkAvailable()
    var previousEnabled: Int32 = 0
    var previousDType = gt_dtype(rawValue: 0)
    guard gt_autocast_enter(device.kind, dtype.code, &previousEnabled, &previousDType) == 0 else {
        throw TensorError.invalidArgument(String(cString: gt_last_error()))
    }
    defer { _ = gt_autocast_exit(device.kind, previousEnabled, previousDType) }
    return try body()
}

/// Runs `body` in `precision` on `device`: inside `withAutocast` for `bf16` and `fp16`, as it is for `fp32`.
public func withPrecision<R>(_ precision: Precision, on device: Device, _ body: () throws -> R) throws -> R {
    guard let dtype = precision.autocastDType else { return try body() }
    return try withAutocast(dtype, on: device, body)
}

/// Whether autocast is on for `device`'s type on this thread.
public func isAutocastEnabled(on device: Device) -> Bool { gt_autocast_is_enabled(device.kind) != 0 }
