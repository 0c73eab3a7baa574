/// Reads PyTorch's legacy (pre-1.6, non-zip) checkpoint format: five pickles in a row — magic number,
/// protocol version, system info, the object, the list of storage keys — then, for each key in that
/// order, an int64 element count followed by the storage's raw little-endian bytes.
enum TorchLegacyReader {
    /// The magic number `0x1950a86a20f9469cfc6c` as little-endian bytes.
    static let magic: [UInt8] = [0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20, 0x6A, 0xA8, 0x50, 0x19]
    private static let protocolVersion = 1001

    /// The unpickled root object with all tensors materialized.
    static func read(bytes: [UInt8]) throws -> PickleValue {
        let limits = PickleLimits()
        let noTensors: (TensorReference) throws -> StoredTensor = { _ in
            throw GraftIOError.malformedPickle(reason: "unexpected tensor in the legacy header", offset: 0)
        }
        var offset = 0
        func nextPickle(_ name: String) throws -> (graph: PickleGraph, root: Int) {
            var unpickler = Unpickler(bytes: bytes, start: offset, context: "legacy \(name) pickle")
            let (graph, root, end) = try unpickler.load()
            offset = end
            return (graph, root)
        }
        let magicPickle = try nextPickle("magic number")
        guard case .bigInt(let number) = magicPickle.graph[magicPickle.root], number == magic else {
            throw GraftIOError.malformedPickle(reason: "the legacy magic number is wrong", offset: 0)
        }
        let versionPickle = try nextPickle("protocol version")
        guard case .int(let version) = versionPickle.graph[versionPickle.root], version == protocolVersion else {
            throw GraftIOError.malformedPickle(reason: "unsupported legacy protocol version (expected \(protocolVersion))", offset: offset)
        }
        let systemPickle = try nextPickle("system info")
        let systemInfo = try systemPickle.graph.value(of: systemPickle.root, limits: limits, resolve: noTensors)
        if case .bool(false) = systemInfo["little_endian"] {
            throw GraftIOError.malformedPickle(reason: "the checkpoint was saved on a big-endian machine; only little-endian is supported", offset: offset)
        }
        let objectPickle = try nextPickle("object")
        let keysPickle = try nextPickle("storage keys")
        guard case .list(let keyValues) = try keysPickle.graph.value(of: keysPickle.root, limits: limits, resolve: noTensors) else {
            throw GraftIOError.malformedPickle(reason: "the storage key list is not a list", offset: offset)
        }
        let storages = try readStorages(keys: keyValues, graph: objectPickle.graph, bytes: bytes, offset: offset)
        var materializer = TensorMaterializer(storages: storages)
        return try objectPickle.graph.value(of: objectPickle.root, limits: limits) { try materializer.materialize($0) }
    }

    /// Reads each storage's element count and bytes, sized by the dtype its persistent id declared.
    private static func readStorages(keys: [PickleValue], graph: PickleGraph, bytes: [UInt8], offset: Int) throws -> [String: [UInt8]] {
        var dtypes: [String: StoredDType] = [:]
        for reference in graph.referencedStorages { dtypes[reference.key] = reference.dtype }
        var cursor = ByteCursor(bytes, from: offset, context: "legacy storage data")
        var storages: [String: [UInt8]] = [:]
        for keyValue in keys {
            guard case .string(let key) = keyValue else {
                throw GraftIOError.malformedPickle(reason: "a storage key is not a string", offset: offset)
            }
            guard let dtype = dtypes[key] else {
                throw GraftIOError.missingRecord("storage '\(key)' is listed but no tensor declares its type")
            }
            let countOffset = cursor.position
            let count = Int64(bitPattern: try cursor.readUInt64())
            let (byteCount, overflow) = Int(clamping: count).multipliedReportingOverflow(by: dtype.elementSize)
            guard count >= 0, !overflow, byteCount <= cursor.remaining else {
                throw GraftIOError.truncated(context: "legacy storage '\(key)' (\(count) elements declared at offset \(countOffset))",
                                             offset: cursor.position, needed: overflow || count < 0 ? Int.max : byteCount - cursor.remaining)
            }
            storages[key] = Array(try cursor.readBytes(byteCount))
        }
        return storages
    }
}
