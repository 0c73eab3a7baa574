import Foundation

/// Writes PyTorch's zip checkpoint format (what `torch.save` produces): a state dict, or any nested value such as a
/// training checkpoint dict, loadable with `torch.load` and, unless it holds floats, with 1.13's `weights_only=True`
/// (newer releases also accept floats).
public enum TorchPthWriter {
    /// The archive's top-level folder.
    static let archiveName = "archive"

    /// The `.pth` file bytes for `value`: `data.pkl` plus one storage per tensor (see `PickleWriter.write(_:tensors:)`
    /// for what can be written).
    public static func encode(_ value: PickleValue) throws -> [UInt8] {
        var pickle = PickleWriter()
        var tensors: [StoredTensor] = []
        try pickle.write(value, tensors: &tensors)
        pickle.stop()

        var archive = ZipArchiveWriter()
        try archive.addEntry(name: "\(archiveName)/data.pkl", data: pickle.bytes)
        for (index, tensor) in tensors.enumerated() {
            try archive.addEntry(name: "\(archiveName)/data/\(index)", data: tensor.bytes)
        }
        try archive.addEntry(name: "\(archiveName)/version", data: Array("3\n".utf8))
        return try archive.finish()
    }

    /// The `.pth` file bytes for `stateDict`: an OrderedDict of tensors, as `torch.save(model.state_dict())` writes.
    public static func encode(_ stateDict: StateDict) throws -> [UInt8] {
        try encode(PickleValue(stateDict))
    }

    /// Writes `value` to `url` atomically.
    public static func write(_ value: PickleValue, to url: URL) throws {
        try AtomicFile.write(try encode(value), to: url)
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

extension PickleValue {
    /// `stateDict` as the OrderedDict of tensors that `module.state_dict()` returns.
    public init(_ stateDict: StateDict) {
        self = .orderedDict(stateDict.entries.map { PickleEntry(key: .string($0.name), value: .tensor($0.tensor)) })
    }
}
