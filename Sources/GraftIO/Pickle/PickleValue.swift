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
    /// A plain dict, with its keys in insertion order.
    case dict([PickleEntry])
    /// A `collections.OrderedDict` (what `state_dict()` returns), with its keys in order.
    case orderedDict([PickleEntry])
    case tensor(StoredTensor)
    /// A storage that was not wrapped in a tensor.
    case storage(key: String, dtype: StoredDType)
    /// A reference to an allow-listed Python global that was never called.
    case global(module: String, name: String)

    /// The value for a string key when this is a dict or an OrderedDict.
    public subscript(key: String) -> PickleValue? {
        dictEntries?.last(where: { $0.key == .string(key) })?.value
    }

    /// The entries when this is a dict or an OrderedDict, nil otherwise.
    public var dictEntries: [PickleEntry]? {
        switch self {
        case .dict(let entries), .orderedDict(let entries): return entries
        default: return nil
        }
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
