/// A value decoded by the restricted unpickler: plain Python data, tensors, storages and allow-listed globals.
public indirect enum PickleValue: Sendable, Equatable {
    case none
    case bool(Bool)
    case int(Int)
    /// An integer too large for `Int`, as little-endian two's-complement bytes.
    case bigInt([UInt8])
    case float(Double)
    case string(String)
    case bytes([UInt8])
    case list([PickleValue])
    case tuple([PickleValue])
    /// A dict (or OrderedDict) with its keys in insertion order.
    case dict([PickleEntry])
    case tensor(StoredTensor)
    /// A storage that was not wrapped in a tensor.
    case storage(key: String, dtype: StoredDType)
    /// A reference to an allow-listed Python global that was never called.
    case global(module: String, name: String)

    /// The value for a string key when this is a dict.
    public subscript(key: String) -> PickleValue? {
        guard case .dict(let entries) = self else { return nil }
        return entries.last(where: { $0.key == .string(key) })?.value
    }
}

/// One key/value pair of a pickled dict.
public struct PickleEntry: Sendable, Equatable {
    /// The key.
    public var key: PickleValue
    /// The value.
    public var value: PickleValue

    /// Creates an entry.
    public init(key: PickleValue, value: PickleValue) {
        self.key = key
        self.value = value
    }
}
