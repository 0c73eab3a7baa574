/// The element types a stored tensor can have, named as in PyTorch (`float32`) and safetensors (`F32`).
public enum StoredDType: String, Sendable, CaseIterable, Equatable {
    case float32, float64, float16, bfloat16, int64, int32, int16, int8, uint8, bool

    /// Bytes per element.
    public var elementSize: Int { tensorDType.elementSize }

    /// The dtype's name in a safetensors header.
    public var safetensorsName: String {
        switch self {
        case .float32: return "F32"
        case .float64: return "F64"
        case .float16: return "F16"
        case .bfloat16: return "BF16"
        case .int64: return "I64"
        case .int32: return "I32"
        case .int16: return "I16"
        case .int8: return "I8"
        case .uint8: return "U8"
        case .bool: return "BOOL"
        }
    }

    /// The legacy PyTorch storage class that holds this dtype (`torch.FloatStorage`).
    public var torchStorageName: String {
        switch self {
        case .float32: return "FloatStorage"
        case .float64: return "DoubleStorage"
        case .float16: return "HalfStorage"
        case .bfloat16: return "BFloat16Storage"
        case .int64: return "LongStorage"
        case .int32: return "IntStorage"
        case .int16: return "ShortStorage"
        case .int8: return "CharStorage"
        case .uint8: return "ByteStorage"
        case .bool: return "BoolStorage"
        }
    }

    /// The dtype for a safetensors name, or nil when unknown.
    public init?(safetensorsName: String) {
        guard let match = StoredDType.allCases.first(where: { $0.safetensorsName == safetensorsName }) else { return nil }
        self = match
    }

    /// The dtype held by a PyTorch storage class name, or nil when unknown.
    public init?(torchStorageName: String) {
        guard let match = StoredDType.allCases.first(where: { $0.torchStorageName == torchStorageName }) else { return nil }
        self = match
    }
}
