/// The objects an unpickler builds, stored flat and addressed by handle so that shared references,
/// cycles and deep nesting can never overflow the stack or leak (nothing is recursive until `value(of:)`).
struct PickleGraph {
    /// One unpickled object; containers refer to other objects by handle.
    enum Object {
        case none
        case bool(Bool)
        case int(Int)
        case bigInt([UInt8])
        case float(Double)
        case string(String)
        case bytes([UInt8])
        /// Index into `lists` (mutable through APPEND).
        case list(Int)
        case tuple([Int])
        /// Index into `dicts` (mutable through SETITEM).
        case dict(Int)
        case tensor(TensorReference)
        case storage(StorageReference)
        case global(module: String, name: String)
    }

    /// Keys that dicts deduplicate on, as Python would for these hashable types.
    enum DictKey: Hashable {
        case none, bool(Bool), int(Int), string(String), bytes([UInt8])
    }

    /// An insertion-ordered dict whose keys are deduplicated in O(1).
    struct DictTable {
        /// Whether the dict is a `collections.OrderedDict`.
        var isOrdered = false
        var entries: [(key: Int, value: Int)] = []
        var indexByKey: [DictKey: Int] = [:]
    }

    private(set) var objects: [Object] = []
    private(set) var lists: [[Int]] = []
    private(set) var dicts: [DictTable] = []

    mutating func add(_ object: Object) -> Int {
        objects.append(object)
        return objects.count - 1
    }

    mutating func addList(_ items: [Int]) -> Int {
        lists.append(items)
        return add(.list(lists.count - 1))
    }

    /// Adds an empty dict, or an empty OrderedDict when `ordered`.
    mutating func addDict(ordered: Bool = false) -> Int {
        dicts.append(DictTable(isOrdered: ordered))
        return add(.dict(dicts.count - 1))
    }

    subscript(handle: Int) -> Object { objects[handle] }

    /// Appends items to the list `handle`; false when it is not a list.
    mutating func append(_ items: [Int], toList handle: Int) -> Bool {
        guard case .list(let index) = objects[handle] else { return false }
        lists[index].append(contentsOf: items)
        return true
    }

    /// Sets `key` to `value` in the dict `handle`, replacing an equal hashable key; false when it is not a dict.
    mutating func set(_ value: Int, forKey key: Int, inDict handle: Int) -> Bool {
        guard case .dict(let index) = objects[handle] else { return false }
        if let hashable = dictKey(key), let position = dicts[index].indexByKey[hashable] {
            dicts[index].entries[position].value = value
            return true
        }
        if let hashable = dictKey(key) { dicts[index].indexByKey[hashable] = dicts[index].entries.count }
        dicts[index].entries.append((key: key, value: value))
        return true
    }

    private func dictKey(_ handle: Int) -> DictKey? {
        switch objects[handle] {
        case .none: return DictKey.none
        case .bool(let value): return .bool(value)
        case .int(let value): return .int(value)
        case .string(let value): return .string(value)
        case .bytes(let value): return .bytes(value)
        default: return nil
        }
    }

    /// Converts the object graph under `handle` to a tree of values, materializing tensors through `resolve`.
    /// Depth and node count are limited so shared or cyclic references cannot explode.
    func value(of handle: Int, limits: PickleLimits, resolve: (TensorReference) throws -> StoredTensor) throws -> PickleValue {
        var budget = limits.maxValueNodes
        return try value(of: handle, depth: 0, budget: &budget, limits: limits, resolve: resolve)
    }

    private func value(of handle: Int, depth: Int, budget: inout Int, limits: PickleLimits,
                       resolve: (TensorReference) throws -> StoredTensor) throws -> PickleValue {
        guard depth <= limits.maxDepth else {
            throw GraftIOError.limitExceeded("pickled data nests deeper than \(limits.maxDepth) levels (or refers to itself)")
        }
        budget -= 1
        guard budget >= 0 else {
            throw GraftIOError.limitExceeded("pickled data expands to more than \(limits.maxValueNodes) values")
        }
        func convert(_ children: [Int]) throws -> [PickleValue] {
            try children.map { try value(of: $0, depth: depth + 1, budget: &budget, limits: limits, resolve: resolve) }
        }
        switch objects[handle] {
        case .none: return .none
        case .bool(let value): return .bool(value)
        case .int(let value): return .int(value)
        case .bigInt(let bytes): return .bigInt(bytes)
        case .float(let value): return .float(value)
        case .string(let value): return .string(value)
        case .bytes(let value): return .bytes(value)
        case .list(let index): return .list(try convert(lists[index]))
        case .tuple(let items): return .tuple(try convert(items))
        case .dict(let index):
            let entries = try dicts[index].entries.map { entry in
                PickleEntry(key: try value(of: entry.key, depth: depth + 1, budget: &budget, limits: limits, resolve: resolve),
                            value: try value(of: entry.value, depth: depth + 1, budget: &budget, limits: limits, resolve: resolve))
            }
            return dicts[index].isOrdered ? .orderedDict(entries) : .dict(entries)
        case .tensor(let reference): return .tensor(try resolve(reference))
        case .storage(let reference): return .storage(key: reference.key, dtype: reference.dtype)
        case .global(let module, let name): return .global(module: module, name: name)
        }
    }
}

/// Limits that keep a hostile pickle from exhausting memory or time.
struct PickleLimits {
    /// Deepest nesting of containers in the result.
    var maxDepth = 200
    /// Most values in the result tree (shared references count each time they appear).
    var maxValueNodes = 2_000_000
}
