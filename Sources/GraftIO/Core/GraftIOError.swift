/// Everything that can go wrong while reading or writing a checkpoint, with messages a user can act on.
public indirect enum GraftIOError: Error, CustomStringConvertible, Equatable {
    /// The bytes are none of the formats GraftIO knows.
    case notACheckpoint(firstBytes: [UInt8])
    /// The data ended before a structure was complete.
    case truncated(context: String, offset: Int, needed: Int)
    /// A pickle opcode this restricted unpickler does not implement.
    case unsupportedPickleOpcode(opcode: UInt8, offset: Int)
    /// A pickle asked for a Python global outside the allow-list; nothing was executed.
    case forbiddenGlobal(module: String, name: String, offset: Int)
    /// The pickle stream is structurally invalid (stack underflow, missing mark, bad memo key, ...).
    case malformedPickle(reason: String, offset: Int)
    /// A size or nesting limit that protects against hostile files was exceeded.
    case limitExceeded(String)
    /// The zip container is damaged or uses a feature that is not supported.
    case malformedZip(String)
    /// A zip entry is compressed; PyTorch writes its archives uncompressed.
    case compressedZipEntry(name: String, method: UInt16)
    /// A file or record that the format requires is missing.
    case missingRecord(String)
    /// A tensor's metadata does not fit its storage.
    case invalidTensor(name: String, reason: String)
    /// A safetensors header is invalid.
    case invalidSafetensorsHeader(String)
    /// A data type name that GraftIO does not know.
    case unknownDType(String)
    /// The checkpoint holds no tensors where weights were expected.
    case noStateDict(String)
    /// A file-system operation failed.
    case fileSystem(operation: String, path: String, reason: String)
    /// A value has no representation in the format being written.
    case unwritableValue(String)
    /// Wraps another error with the file it came from.
    case inFile(path: String, GraftIOError)

    public var description: String {
        switch self {
        case .notACheckpoint(let bytes):
            let hex = bytes.prefix(4).map { format2Hex($0) }.joined(separator: " ")
            return "not a PyTorch or safetensors checkpoint (first bytes \(hex))"
        case .truncated(let context, let offset, let needed):
            return "unexpected end of data in \(context) at byte offset \(offset) (needed \(needed) more bytes); the file is truncated or corrupted"
        case .unsupportedPickleOpcode(let opcode, let offset):
            return "unsupported pickle opcode 0x\(format2Hex(opcode)) at byte offset \(offset); only the opcodes used by tensor state dicts are understood"
        case .forbiddenGlobal(let module, let name, let offset):
            return "refused pickle global '\(module).\(name)' at byte offset \(offset): only tensors, ordered dicts and plain containers may be loaded (nothing was executed); if this file is a whole pickled model, re-save it with torch.save(model.state_dict(), path)"
        case .malformedPickle(let reason, let offset):
            return "malformed pickle at byte offset \(offset): \(reason)"
        case .limitExceeded(let what):
            return "limit exceeded: \(what)"
        case .malformedZip(let reason):
            return "malformed zip archive: \(reason)"
        case .compressedZipEntry(let name, let method):
            return "zip entry '\(name)' is compressed (method \(method)); PyTorch archives store entries uncompressed — re-save the file with torch.save"
        case .missingRecord(let what):
            return "missing record: \(what)"
        case .invalidTensor(let name, let reason):
            return name.isEmpty ? "invalid tensor: \(reason)" : "tensor '\(name)': \(reason)"
        case .invalidSafetensorsHeader(let reason):
            return "invalid safetensors header: \(reason)"
        case .unknownDType(let name):
            return "unknown data type '\(name)'"
        case .noStateDict(let reason):
            return "no state dict found: \(reason)"
        case .fileSystem(let operation, let path, let reason):
            return "\(path): \(operation) failed: \(reason)"
        case .unwritableValue(let what):
            return "cannot write \(what) to a checkpoint"
        case .inFile(let path, let inner):
            return "\(path): \(inner.description)"
        }
    }

    /// The innermost error, without file context.
    public var underlying: GraftIOError {
        if case .inFile(_, let inner) = self { return inner.underlying }
        return self
    }
}

/// Two upper-case hex digits for a byte.
func format2Hex(_ byte: UInt8) -> String {
    let digits = Array("0123456789ABCDEF")
    return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
}
