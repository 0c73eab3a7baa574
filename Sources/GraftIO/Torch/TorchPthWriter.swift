import Foundation

/// Writes a state dict in PyTorch's zip checkpoint format (what `torch.save(model.state_dict())` produces),
/// loadable with `torch.load` and `model.load_state_dict`.
public enum TorchPthWriter {
    /// The archive's top-level folder.
    static let archiveName = "archive"

    /// The `.pth` file bytes for `stateDict`: one storage per tensor, an OrderedDict of `_rebuild_tensor_v2` calls.
    public static func encode(_ stateDict: StateDict) throws -> [UInt8] {
        var pickle = PickleWriter()
        pickle.emptyOrderedDict()
        pickle.mark()
        for (index, entry) in stateDict.entries.enumerated() {
            let tensor = entry.tensor
            pickle.string(entry.name)
            pickle.rebuildTensor(storageClass: tensor.dtype.torchStorageName, offset: 0, shape: tensor.shape,
                                 stride: contiguousStrides(tensor.shape)) { storage in
                storage.string(String(index))
                storage.string("cpu")
                storage.int(tensor.elementCount)
            }
        }
        pickle.setItems()
        pickle.stop()

        var archive = ZipArchiveWriter()
        try archive.addEntry(name: "\(archiveName)/data.pkl", data: pickle.bytes)
        for (index, entry) in stateDict.entries.enumerated() {
            try archive.addEntry(name: "\(archiveName)/data/\(index)", data: entry.tensor.bytes)
        }
        try archive.addEntry(name: "\(archiveName)/version", data: Array("3\n".utf8))
        return try archive.finish()
    }

    /// Writes `stateDict` to `url` atomically.
    public static func write(_ stateDict: StateDict, to url: URL) throws {
        try AtomicFile.write(try encode(stateDict), to: url)
    }

    /// Row-major strides for `shape`, in elements.
    static func contiguousStrides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var running = 1
        for axis in shape.indices.reversed() {
            strides[axis] = running
            running *= max(shape[axis], 1)
        }
        return strides
    }
}
