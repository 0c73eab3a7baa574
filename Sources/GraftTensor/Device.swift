import CTorch

/// Where a tensor's memory lives.
public enum Device: Sendable, Hashable, CustomStringConvertible {
    /// Main memory.
    case cpu
    /// The CUDA device with this index (`cuda:0` is the first); needs a CUDA build of libtorch and a visible device.
    case cuda(Int)
    /// PyTorch's shape-only device: tensors have a shape and dtype but no memory and no values, and operations only
    /// compute output shapes, so shapes and sizes can be planned without allocating; reading values throws. libtorch
    /// 1.13's C++ library has meta kernels for most elementwise, reduction, linear and optimizer ops but not for
    /// convolution, batch norm, ReLU, `where` or `indexSelect`, which throw on it.
    case meta

    /// Parses PyTorch's spellings `cpu`, `cuda`, `cuda:N` and `meta`.
    public init?(_ text: String) {
        switch text {
        case "cpu": self = .cpu
        case "cuda": self = .cuda(0)
        case "meta": self = .meta
        default:
            guard text.hasPrefix("cuda:"), let index = Int(text.dropFirst(5)), index >= 0 else { return nil }
            self = .cuda(index)
        }
    }

    /// PyTorch's spelling: `cpu`, `cuda:N` or `meta`.
    public var description: String {
        switch self {
        case .cpu: return "cpu"
        case .cuda(let index): return "cuda:\(index)"
        case .meta: return "meta"
        }
    }

    /// Whether CUDA tensors can be created: libtorch was built with CUDA and sees a device (`torch.cuda.is_available()`).
    public static var isCUDAAvailable: Bool { Engine.cudaDeviceCount > 0 }

    /// Throws `TensorError.deviceUnavailable`, saying why and what to do, unless tensors can live on this device.
    func checkAvailable() throws {
        guard case .cuda = self else { return }
        if let reason = unavailability(cudaBuilt: Engine.isCUDABuilt, cudaDevices: Engine.cudaDeviceCount) {
            throw TensorError.deviceUnavailable(self, reason)
        }
    }

    /// Why tensors cannot live on this device, given whether libtorch was built with CUDA and how many devices it
    /// sees; nil when they can.
    func unavailability(cudaBuilt: Bool, cudaDevices count: Int) -> String? {
        guard case .cuda(let index) = self else { return nil }
        if index < 0 { return "\(self) is not a device: CUDA device indices start at 0" }
        if !cudaBuilt {
            return "\(self) was requested but this libtorch build has no CUDA support (torch.cuda.is_available() is false); "
                + "use .cpu or link a CUDA build of libtorch"
        }
        if count == 0 {
            return "\(self) was requested but libtorch sees no CUDA device (torch.cuda.device_count() is 0); "
                + "check the NVIDIA driver and CUDA_VISIBLE_DEVICES, or use .cpu"
        }
        if index >= count {
            let visible = count == 1 ? "1 CUDA device (cuda:0)" : "\(count) CUDA devices (cuda:0 to cuda:\(count - 1))"
            return "\(self) was requested but libtorch sees only \(visible); use one of those or .cpu"
        }
        return nil
    }

    var kind: gt_device_kind {
        switch self {
        case .cpu: return GT_CPU
        case .cuda: return GT_CUDA
        case .meta: return GT_META
        }
    }

    var index: Int32 { if case .cuda(let i) = self { return Int32(i) } else { return 0 } }

    /// The device a C call reported as (kind, index).
    init(kind: Int32, index: Int32) {
        switch UInt32(kind) {
        case GT_CUDA.rawValue: self = .cuda(Int(index))
        case GT_META.rawValue: self = .meta
        default: self = .cpu
        }
    }
}
