import CTorch

/// Where a tensor's memory lives.
public enum Device: Sendable, Equatable, CustomStringConvertible {
    case cpu
    case cuda(Int)

    /// Parses `cpu`, `cuda` or `cuda:N`.
    public init?(_ text: String) {
        if text == "cpu" { self = .cpu; return }
        if text == "cuda" { self = .cuda(0); return }
        guard text.hasPrefix("cuda:"), let index = Int(text.dropFirst(5)), index >= 0 else { return nil }
        self = .cuda(index)
    }

    /// PyTorch's spelling: `cpu` or `cuda:N`.
    public var description: String {
        switch self {
        case .cpu: return "cpu"
        case .cuda(let index): return "cuda:\(index)"
        }
    }

    var kind: gt_device_kind { if case .cuda = self { return GT_CUDA } else { return GT_CPU } }
    var index: Int32 { if case .cuda(let i) = self { return Int32(i) } else { return 0 } }
}
