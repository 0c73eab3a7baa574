import Foundation
@testable import GraftIO

/// Builds checkpoint files around hand-made pickles, for the safety and error tests.
enum CraftedFiles {
    /// A protocol-2 pickle that calls `module.name(argument)` via GLOBAL + REDUCE, as an attacker would.
    static func callingPickle(module: String, name: String, argument: String) -> [UInt8] {
        var bytes: [UInt8] = [0x80, 0x02, 0x63] + Array("\(module)\n\(name)\n".utf8)
        bytes += shortUnicode(argument) + [0x85, 0x52, 0x2E]   // TUPLE1 REDUCE STOP
        return bytes
    }

    /// The same call through protocol 4's STACK_GLOBAL.
    static func stackGlobalCallingPickle(module: String, name: String, argument: String) -> [UInt8] {
        [0x80, 0x04] + shortUnicode(module) + shortUnicode(name) + [0x93] + shortUnicode(argument) + [0x85, 0x52, 0x2E]
    }

    /// SHORT_BINUNICODE or BINUNICODE for `text`.
    static func shortUnicode(_ text: String) -> [UInt8] {
        let utf8 = Array(text.utf8)
        if utf8.count < 256 { return [0x8C, UInt8(utf8.count)] + utf8 }
        var bytes: [UInt8] = [0x58]
        append32(UInt32(utf8.count), to: &bytes)
        return bytes + utf8
    }

    /// The pickle of `OrderedDict({name: _rebuild_tensor_v2(storage, 1, (size,), (1,), False, OrderedDict())})`: one
    /// float tensor starting at element 1 of a storage whose persistent id is `("storage", FloatStorage, …)`, the rest
    /// of that tuple written by `storageFields`.
    static func singleTensorPickle(name: String, size: Int, storageFields: (inout PickleWriter) -> Void) -> [UInt8] {
        var pickle = PickleWriter()
        pickle.emptyOrderedDict()
        pickle.mark()
        pickle.string(name)
        pickle.rebuildTensor(storageClass: "FloatStorage", offset: 1, shape: [size], stride: [1], storageFields: storageFields)
        pickle.setItems()
        pickle.stop()
        return pickle.bytes
    }

    /// A zip-format `.pth` whose data.pkl is `pickle`.
    static func zipCheckpoint(pickle: [UInt8], storages: [(key: String, bytes: [UInt8])] = []) throws -> [UInt8] {
        var archive = ZipArchiveWriter()
        try archive.addEntry(name: "archive/data.pkl", data: pickle)
        for storage in storages { try archive.addEntry(name: "archive/data/\(storage.key)", data: storage.bytes) }
        try archive.addEntry(name: "archive/version", data: Array("3\n".utf8))
        return try archive.finish()
    }

    /// A legacy-format `.pth`: magic, protocol and system-info pickles, then `pickle`, the storage key list,
    /// and each storage as an int64 element count followed by its bytes.
    static func legacyCheckpoint(pickle: [UInt8], storages: [(key: String, elementCount: Int, bytes: [UInt8])] = []) -> [UInt8] {
        let magic: [UInt8] = [0x80, 0x02, 0x8A, 0x0A] + TorchLegacyReader.magic + [0x2E]
        let version: [UInt8] = [0x80, 0x02, 0x4D, 0xE9, 0x03, 0x2E]
        let systemInfo: [UInt8] = [0x80, 0x02, 0x7D, 0x2E]
        var keys = PickleWriter()
        keys.mark()
        storages.forEach { keys.string($0.key) }
        keys.list()
        keys.stop()
        var data = [UInt8]()
        for storage in storages {
            append64(UInt64(storage.elementCount), to: &data)
            data += storage.bytes
        }
        return magic + version + systemInfo + pickle + keys.bytes + data
    }

    /// The entries of the zip at `bytes` (name and contents), read with the production reader.
    static func zipEntries(_ bytes: [UInt8]) throws -> [(name: String, data: [UInt8])] {
        let archive = try ZipArchiveReader(bytes: bytes)
        return try archive.entries.map { ($0.name, try archive.contents(of: $0)) }
    }

    /// Rewrites a classic zip's end record to point through ZIP64 records, as large archives do.
    static func convertingToZip64(_ bytes: [UInt8]) -> [UInt8] {
        let endOffset = bytes.count - 22
        func field(_ offset: Int, _ size: Int) -> UInt64 {
            (0..<size).reduce(UInt64(0)) { $0 | UInt64(bytes[endOffset + offset + $1]) << (8 * UInt64($1)) }
        }
        let count = field(10, 2), size = field(12, 4), start = field(16, 4)
        var output = Array(bytes[..<endOffset])
        let recordOffset = UInt64(output.count)
        append32(0x0606_4B50, to: &output)
        append64(44, to: &output)
        append16(45, to: &output); append16(45, to: &output)
        append32(0, to: &output); append32(0, to: &output)
        append64(count, to: &output); append64(count, to: &output)
        append64(size, to: &output); append64(start, to: &output)
        append32(0x0706_4B50, to: &output)
        append32(0, to: &output); append64(recordOffset, to: &output); append32(1, to: &output)
        append32(0x0605_4B50, to: &output)
        append16(0, to: &output); append16(0, to: &output)
        append16(0xFFFF, to: &output); append16(0xFFFF, to: &output)
        append32(0xFFFF_FFFF, to: &output); append32(0xFFFF_FFFF, to: &output)
        append16(0, to: &output)
        return output
    }
}
