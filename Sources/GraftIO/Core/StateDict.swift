/// An ordered list of named tensors, as in a PyTorch state dict (key order is kept for display).
public struct StateDict: Sendable {
    /// The entries in file order.
    public private(set) var entries: [(name: String, tensor: StoredTensor)]
    private var indexByName: [String: Int]

    /// Creates an empty state dict.
    public init() {
        entries = []
        indexByName = [:]
    }

    /// Creates a state dict from entries; a repeated name keeps its first position and the last tensor.
    public init(_ entries: [(name: String, tensor: StoredTensor)]) {
        self.init()
        for entry in entries { self[entry.name] = entry.tensor }
    }

    /// Number of entries.
    public var count: Int { entries.count }

    /// The names in order.
    public var names: [String] { entries.map(\.name) }

    /// The tensor stored under `name`; setting nil removes it, setting a new name appends it.
    public subscript(name: String) -> StoredTensor? {
        get { indexByName[name].map { entries[$0].tensor } }
        set {
            if let index = indexByName[name] {
                if let tensor = newValue {
                    entries[index].tensor = tensor
                } else {
                    entries.remove(at: index)
                    rebuildIndex()
                }
            } else if let tensor = newValue {
                indexByName[name] = entries.count
                entries.append((name: name, tensor: tensor))
            }
        }
    }

    /// A copy with `prefix` removed from every name that starts with it (e.g. DataParallel's `module.`).
    public func strippingPrefix(_ prefix: String) -> StateDict {
        StateDict(entries.map { entry in
            let name = entry.name.hasPrefix(prefix) ? String(entry.name.dropFirst(prefix.count)) : entry.name
            return (name: name, tensor: entry.tensor)
        })
    }

    private mutating func rebuildIndex() {
        indexByName = [:]
        for (index, entry) in entries.enumerated() { indexByName[entry.name] = index }
    }
}
