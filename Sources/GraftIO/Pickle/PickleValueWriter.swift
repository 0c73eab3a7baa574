extension PickleWriter {
    /// Writes `value` as Python builds it, restricted to what PyTorch's `weights_only` loader accepts: plain
    /// containers, OrderedDict, numbers, strings, None and tensors. Each tensor gets the next storage key (its index
    /// in `tensors`, which receives its bytes). Bytes, bare storages and globals are refused, as are values nested
    /// deeper than the reader accepts, so every file written can be read back.
    mutating func write(_ value: PickleValue, tensors: inout [StoredTensor]) throws {
        try write(value, depth: 0, tensors: &tensors)
    }

    private mutating func write(_ value: PickleValue, depth: Int, tensors: inout [StoredTensor]) throws {
        let maxDepth = PickleLimits().maxDepth
        guard depth <= maxDepth else { throw GraftIOError.unwritableValue("a value nested deeper than \(maxDepth) levels") }
        switch value {
        case .none: none()
        case .bool(let flag): bool(flag)
        case .int(let number): int(number)
        case .bigInt(let bytes): try long(littleEndian: bytes)
        case .float(let number): float(number)
        case .string(let text): string(text)
        case .list(let items):
            emptyList()
            guard !items.isEmpty else { return }
            mark()
            for item in items { try write(item, depth: depth + 1, tensors: &tensors) }
            appends()
        case .tuple(let items):
            guard !items.isEmpty else { return emptyTuple() }
            mark()
            for item in items { try write(item, depth: depth + 1, tensors: &tensors) }
            tuple()
        case .dict(let entries):
            emptyDict()
            try writeItems(entries, depth: depth, tensors: &tensors)
        case .orderedDict(let entries):
            emptyOrderedDict()
            try writeItems(entries, depth: depth, tensors: &tensors)
        case .tensor(let tensor):
            let key = String(tensors.count)
            tensors.append(tensor)
            rebuildTensor(storageClass: tensor.dtype.torchStorageName, offset: 0, shape: tensor.shape,
                          stride: TorchPthWriter.contiguousStrides(tensor.shape)) { storage in
                storage.string(key)
                storage.string("cpu")
                storage.int(tensor.elementCount)
            }
        case .bytes:
            throw GraftIOError.unwritableValue("bytes (PyTorch's weights_only loader refuses them; store a string or a uint8 tensor)")
        case .storage(let key, _):
            throw GraftIOError.unwritableValue("the bare storage '\(key)' (store a tensor instead)")
        case .global(let module, let name):
            throw GraftIOError.unwritableValue("the Python global \(module).\(name)")
        }
    }

    /// SETITEMS of `entries` into the dict on the stack; keys must be hashable scalars.
    private mutating func writeItems(_ entries: [PickleEntry], depth: Int, tensors: inout [StoredTensor]) throws {
        guard !entries.isEmpty else { return }
        mark()
        for entry in entries {
            switch entry.key {
            case .none, .bool, .int, .float, .string: break
            default: throw GraftIOError.unwritableValue("a dict key that is not None, a bool, a number or a string")
            }
            try write(entry.key, depth: depth + 1, tensors: &tensors)
            try write(entry.value, depth: depth + 1, tensors: &tensors)
        }
        setItems()
    }
}
