/// Finds the weights inside an unpickled PyTorch object: a bare state dict, or a training checkpoint
/// whose `model_state_dict` / `state_dict` / `model` entry holds them.
enum CheckpointUnwrapper {
    /// Entries that conventionally hold the weights of a training checkpoint, in the order they are tried.
    static let weightKeys = ["model_state_dict", "state_dict", "model"]

    /// Splits `root` into the weights and the remaining top-level entries.
    static func unwrap(_ root: PickleValue) throws -> (stateDict: StateDict, extras: [PickleEntry]) {
        guard let entries = root.dictEntries else {
            throw GraftIOError.noStateDict("the file holds \(describe(root)), not a dict of tensors")
        }
        for key in weightKeys {
            if let innerEntries = root[key]?.dictEntries, innerEntries.contains(where: isTensorEntry) {
                let (weights, _) = try split(innerEntries)
                return (weights, entries.filter { $0.key != .string(key) })
            }
        }
        let (weights, extras) = try split(entries)
        guard weights.count > 0 else {
            let keys = entries.prefix(8).map { describe($0.key) }.joined(separator: ", ")
            throw GraftIOError.noStateDict("no tensors at the top level or under \(weightKeys.joined(separator: "/")) (top-level keys: \(keys))")
        }
        return (weights, extras)
    }

    private static func isTensorEntry(_ entry: PickleEntry) -> Bool {
        if case .tensor = entry.value { return true }
        return false
    }

    private static func split(_ entries: [PickleEntry]) throws -> (StateDict, [PickleEntry]) {
        var weights = StateDict()
        var extras: [PickleEntry] = []
        for entry in entries {
            guard case .tensor(let tensor) = entry.value else {
                extras.append(entry)
                continue
            }
            guard case .string(let name) = entry.key else {
                throw GraftIOError.noStateDict("a tensor is stored under the non-string key \(describe(entry.key))")
            }
            weights[name] = tensor
        }
        return (weights, extras)
    }

    private static func describe(_ value: PickleValue) -> String {
        switch value {
        case .none: return "None"
        case .bool(let flag): return flag ? "True" : "False"
        case .int(let number): return String(number)
        case .bigInt: return "a large integer"
        case .float(let number): return String(number)
        case .string(let text): return "'\(text)'"
        case .bytes: return "bytes"
        case .list: return "a list"
        case .tuple: return "a tuple"
        case .dict, .orderedDict: return "a dict"
        case .tensor: return "a single tensor"
        case .storage: return "a bare storage"
        case .global(let module, let name): return "the global \(module).\(name)"
        }
    }
}
