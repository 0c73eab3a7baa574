import GraftTensor

extension StoredDType {
    /// The engine's dtype for these stored elements.
    public var tensorDType: DType {
        switch self {
        case .float32: return .float32
        case .float64: return .float64
        case .float16: return .float16
        case .bfloat16: return .bfloat16
        case .int64: return .int64
        case .int32: return .int32
        case .int16: return .int16
        case .int8: return .int8
        case .uint8: return .uint8
        case .bool: return .bool
        }
    }

    /// The stored dtype for an engine dtype.
    public init(_ dtype: DType) {
        self = StoredDType.allCases.first { $0.tensorDType == dtype } ?? .float32
    }
}

extension Tensor {
    /// A tensor holding a copy of a stored checkpoint tensor.
    public convenience init(_ stored: StoredTensor) throws {
        try self.init(rawBytes: stored.bytes, dtype: stored.dtype.tensorDType, shape: stored.shape)
    }
}

extension StoredTensor {
    /// A stored copy of a tensor's values (moved to the CPU, made contiguous).
    public init(_ tensor: Tensor) throws {
        try self.init(dtype: StoredDType(tensor.dtype), shape: tensor.shape, bytes: tensor.rawBytes())
    }
}

extension StateDict {
    /// The entries as engine tensors, in order.
    public func tensors() throws -> [(String, Tensor)] {
        try entries.map { entry in
            do {
                return (entry.name, try Tensor(entry.tensor))
            } catch {
                throw GraftIOError.invalidTensor(name: entry.name, reason: "\(error)")
            }
        }
    }

    /// A state dict holding copies of named engine tensors (e.g. `module.stateDict()`).
    public init(tensors: [(String, Tensor)]) throws {
        self.init(try tensors.map { (name: $0.0, tensor: try StoredTensor($0.1)) })
    }
}
