/// Reads the zip checkpoint format `torch.save` writes by default since PyTorch 1.6:
/// `<prefix>/data.pkl` (the pickled object) and `<prefix>/data/<key>` (one raw storage per key).
enum TorchZipReader {
    /// The unpickled root object with all tensors materialized.
    static func read(bytes: [UInt8]) throws -> PickleValue {
        let archive = try ZipArchiveReader(bytes: bytes)
        let pickles = archive.entries.filter { $0.name == "data.pkl" || $0.name.hasSuffix("/data.pkl") }
        guard let pickleEntry = pickles.min(by: { $0.name.count < $1.name.count }) else {
            throw GraftIOError.missingRecord("no data.pkl in the zip archive (entries: \(archive.entries.prefix(5).map(\.name)))")
        }
        let prefix = String(pickleEntry.name.dropLast("data.pkl".count))
        if let byteOrder = archive.entry(named: prefix + "byteorder") {
            let order = String(decoding: try archive.contents(of: byteOrder), as: UTF8.self)
            guard order.hasPrefix("little") else {
                throw GraftIOError.malformedZip("the checkpoint was saved with byte order '\(order)'; only little-endian is supported")
            }
        }
        var unpickler = Unpickler(bytes: try archive.contents(of: pickleEntry), context: pickleEntry.name)
        let (graph, root, _) = try unpickler.load()
        var storages: [String: [UInt8]] = [:]
        for reference in graph.referencedStorages where storages[reference.key] == nil {
            let name = prefix + "data/" + reference.key
            guard let entry = archive.entry(named: name) else {
                throw GraftIOError.missingRecord("storage '\(name)' referenced by \(pickleEntry.name) is not in the archive")
            }
            storages[reference.key] = try archive.contents(of: entry)
        }
        var materializer = TensorMaterializer(storages: storages)
        return try graph.value(of: root, limits: PickleLimits()) { try materializer.materialize($0) }
    }
}

extension PickleGraph {
    /// Every storage that a tensor or bare storage object in the graph refers to.
    var referencedStorages: [StorageReference] {
        objects.compactMap { object in
            switch object {
            case .tensor(let tensor): return tensor.storage
            case .storage(let storage): return storage
            default: return nil
            }
        }
    }
}
