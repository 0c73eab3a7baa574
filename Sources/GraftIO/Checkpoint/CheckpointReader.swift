import Foundation

/// The single entry point for reading weights: detects PyTorch zip, PyTorch legacy or safetensors by magic bytes.
public enum CheckpointReader {
    /// Whether and how to remove DataParallel's `module.` prefix from tensor names.
    public enum PrefixPolicy: Sendable {
        /// Keep names as stored.
        case keep
        /// Remove `module.` when every name starts with it.
        case stripModuleIfPresent
    }

    /// The weights in the file at `url` (a bare state dict or the weights of a training checkpoint).
    public static func read(contentsOf url: URL, prefix: PrefixPolicy = .stripModuleIfPresent) throws -> StateDict {
        try readCheckpoint(contentsOf: url, prefix: prefix).stateDict
    }

    /// The weights and the other entries of the file at `url`.
    public static func readCheckpoint(contentsOf url: URL, prefix: PrefixPolicy = .stripModuleIfPresent) throws -> Checkpoint {
        try parseFile(url) { try readCheckpoint(bytes: $0, prefix: prefix) }
    }

    /// The weights and other entries of an in-memory checkpoint file.
    public static func readCheckpoint(bytes: [UInt8], prefix: PrefixPolicy = .stripModuleIfPresent) throws -> Checkpoint {
        var checkpoint: Checkpoint
        switch detectFormat(bytes) {
        case .torchZip?:
            let (weights, extras) = try CheckpointUnwrapper.unwrap(try TorchZipReader.read(bytes: bytes))
            checkpoint = Checkpoint(format: .torchZip, stateDict: weights, extras: extras)
        case .torchLegacy?:
            let (weights, extras) = try CheckpointUnwrapper.unwrap(try TorchLegacyReader.read(bytes: bytes))
            checkpoint = Checkpoint(format: .torchLegacy, stateDict: weights, extras: extras)
        case .safetensors?:
            let (tensors, metadata) = try SafetensorsReader.read(bytes: bytes)
            if let object = try SafetensorsObject.decode(stateDict: tensors, metadata: metadata) {
                let (weights, extras) = try CheckpointUnwrapper.unwrap(object)
                checkpoint = Checkpoint(format: .safetensors, stateDict: weights, extras: extras, metadata: metadata)
            } else {
                checkpoint = Checkpoint(format: .safetensors, stateDict: tensors, metadata: metadata)
            }
        case nil:
            throw GraftIOError.notACheckpoint(firstBytes: Array(bytes.prefix(4)))
        }
        if prefix == .stripModuleIfPresent, checkpoint.stateDict.count > 0,
           checkpoint.stateDict.names.allSatisfy({ $0.hasPrefix("module.") }) {
            checkpoint.stateDict = checkpoint.stateDict.strippingPrefix("module.")
        }
        return checkpoint
    }

    /// The whole object in the file at `url`: what `torch.load` returns for a PyTorch file, the value of a Graft object
    /// file (`SafetensorsObject`), or a plain safetensors file's tensors as an OrderedDict.
    public static func readObject(contentsOf url: URL) throws -> PickleValue {
        try parseFile(url, readObject(bytes:))
    }

    /// The whole object in an in-memory checkpoint file (see `readObject(contentsOf:)`).
    public static func readObject(bytes: [UInt8]) throws -> PickleValue {
        switch detectFormat(bytes) {
        case .torchZip?: return try TorchZipReader.read(bytes: bytes)
        case .torchLegacy?: return try TorchLegacyReader.read(bytes: bytes)
        case .safetensors?:
            let (tensors, metadata) = try SafetensorsReader.read(bytes: bytes)
            return try SafetensorsObject.decode(stateDict: tensors, metadata: metadata) ?? PickleValue(tensors)
        case nil: throw GraftIOError.notACheckpoint(firstBytes: Array(bytes.prefix(4)))
        }
    }

    /// The format the leading bytes announce, or nil.
    public static func detectFormat(_ bytes: [UInt8]) -> Checkpoint.Format? {
        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return .torchZip }
        if bytes.starts(with: [0x80, 0x02, 0x8A, 0x0A] + TorchLegacyReader.magic) { return .torchLegacy }
        if bytes.count > 8, bytes[8] == UInt8(ascii: "{") { return .safetensors }
        return nil
    }

    /// Reads the file at `url` and parses its bytes with `parse`, naming the file in any error.
    private static func parseFile<T>(_ url: URL, _ parse: ([UInt8]) throws -> T) throws -> T {
        let bytes: [UInt8]
        do {
            bytes = [UInt8](try Data(contentsOf: url))
        } catch {
            throw GraftIOError.fileSystem(operation: "read", path: url.path, reason: error.localizedDescription)
        }
        do {
            return try parse(bytes)
        } catch let error as GraftIOError {
            throw GraftIOError.inFile(path: url.path, error)
        }
    }
}
