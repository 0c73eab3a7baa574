/// The only Python globals the restricted unpickler accepts, and what "calling" each one builds.
/// Calls never execute anything: each allowed global maps to constructing a plain value.
enum PickleAllowList {
    /// Whether `module.name` may appear in a GLOBAL / STACK_GLOBAL opcode.
    static func isAllowed(module: String, name: String) -> Bool {
        switch (module, name) {
        case ("collections", "OrderedDict"),
             ("torch._utils", "_rebuild_tensor_v2"),
             ("torch._utils", "_rebuild_tensor"),
             ("torch._utils", "_rebuild_parameter"),
             ("_codecs", "encode"):
            return true
        case ("torch", let storage):
            return StoredDType(torchStorageName: storage) != nil
        default:
            return false
        }
    }

    /// Builds the result of REDUCE / NEWOBJ of the allowed global `module.name` with the tuple `arguments`.
    static func call(module: String, name: String, arguments: [Int], graph: inout PickleGraph, offset: Int) throws -> Int {
        func fail(_ reason: String) -> GraftIOError {
            .malformedPickle(reason: "\(module).\(name): \(reason)", offset: offset)
        }
        switch (module, name) {
        case ("collections", "OrderedDict"):
            guard arguments.isEmpty else { throw fail("only an empty OrderedDict() can be constructed") }
            return graph.addDict(ordered: true)
        case ("torch._utils", "_rebuild_tensor_v2"), ("torch._utils", "_rebuild_tensor"):
            guard arguments.count >= 4, case .storage(let storage) = graph[arguments[0]] else {
                throw fail("expected (storage, storage_offset, size, stride, ...)")
            }
            guard case .int(let storageOffset) = graph[arguments[1]],
                  let shape = integers(graph[arguments[2]], graph),
                  let stride = integers(graph[arguments[3]], graph) else {
                throw fail("storage offset, size and stride must be integers")
            }
            return graph.add(.tensor(TensorReference(storage: storage, storageOffset: storageOffset, shape: shape, stride: stride)))
        case ("torch._utils", "_rebuild_parameter"):
            guard let data = arguments.first, case .tensor = graph[data] else { throw fail("expected a tensor argument") }
            return data
        case ("_codecs", "encode"):
            return try latin1Bytes(arguments: arguments, graph: &graph, fail: fail)
        default:
            throw fail("cannot be called while loading a checkpoint")
        }
    }

    /// The storage a persistent id `('storage', torch.XStorage, key, location, numel[, view_metadata])` names.
    static func storage(persistentID handle: Int, graph: PickleGraph, offset: Int) throws -> StorageReference {
        func fail(_ reason: String) -> GraftIOError { .malformedPickle(reason: "persistent id: \(reason)", offset: offset) }
        guard case .tuple(let items) = graph[handle], items.count >= 5,
              case .string("storage") = graph[items[0]] else {
            throw fail("expected a ('storage', type, key, location, size) tuple")
        }
        guard case .global("torch", let storageName) = graph[items[1]], let dtype = StoredDType(torchStorageName: storageName) else {
            throw fail("the storage type is not a torch.*Storage class")
        }
        guard case .string(let key) = graph[items[2]] else { throw fail("the storage key is not a string") }
        var reference = StorageReference(key: key, dtype: dtype, elementOffset: 0)
        // Legacy files may describe a view of a larger storage: (view_key, offset, view_size).
        if items.count >= 6, case .tuple(let view) = graph[items[5]] {
            guard view.count == 3, case .int(let viewOffset) = graph[view[1]], viewOffset >= 0 else {
                throw fail("view metadata must be (key, offset >= 0, size)")
            }
            reference.elementOffset = viewOffset
        }
        return reference
    }

    private static func integers(_ object: PickleGraph.Object, _ graph: PickleGraph) -> [Int]? {
        let items: [Int]
        switch object {
        case .tuple(let handles): items = handles
        case .list(let index): items = graph.lists[index]
        default: return nil
        }
        var result = [Int]()
        for handle in items {
            guard case .int(let value) = graph[handle] else { return nil }
            result.append(value)
        }
        return result
    }

    /// `_codecs.encode(text, 'latin1')`, which protocol-2 pickles use to carry `bytes` objects.
    private static func latin1Bytes(arguments: [Int], graph: inout PickleGraph, fail: (String) -> GraftIOError) throws -> Int {
        guard arguments.count == 2, case .string(let text) = graph[arguments[0]],
              case .string(let encoding) = graph[arguments[1]], ["latin1", "latin-1"].contains(encoding.lowercased()) else {
            throw fail("only encode(text, 'latin1') is supported")
        }
        var bytes = [UInt8]()
        for scalar in text.unicodeScalars {
            guard scalar.value <= 0xFF else { throw fail("character U+\(String(scalar.value, radix: 16)) is not latin-1") }
            bytes.append(UInt8(scalar.value))
        }
        return graph.add(.bytes(bytes))
    }
}
