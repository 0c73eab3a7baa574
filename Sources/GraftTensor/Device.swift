import CTorch

/// Where a tensor's memory lives.
public enum Device: Sendable, Hashable, CustomStringConvertible {
    /// Main memory.
    case cpu
    /// The CUDA device with this index (`cuda:0` is the first); needs a CUDA build of libtorch and a visible device.
    case cuda(Int)
    /// PyTorch's shape-only device: tensors have a shape and dtype but no memory and no values, and operations only
    /// compute output shapes, so a model's shapes and sizes can be planned without allocating. Reading values throws.
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
        guard case .cuda(let index) = self else { return }
        let count = Engine.cudaDeviceCount
        let reason: String
        if index < 0 {
            reason = "\(self) is not a device: CUDA device indices start at 0"
        } else if !Engine.isCUDABuilt {
            reason = "\(self) was requested but this libtorch build has no CUDA support (torch.cuda.is_available() is false); "
                + "use .cpu or link a CUDA build of libtorch"
        } else if count == 0 {
            reason = "\(self) was requested but libtorch sees no CUDA device (torch.cuda.device_count() is 0); "
                + "check the NVIDIA driver and CUDA_VISIBLE_DEVICES, or use .cpu"
        } else if index >= count {
            reason = "\(self) was requested but libtorch sees \(count) CUDA device\(count == 1 ? "" : "s") "
                + "(cuda:0\(count > 1 ? "…cuda:\(count - 1)" : "")); use one of those or .cpu"
        } else {
            return
        }
        throw TensorError.deviceUnavailable(self, reason)
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
