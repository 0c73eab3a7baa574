import Foundation

/// Graft's object file: a nested value (such as a training checkpoint dict) as safetensors, every tensor an entry
/// named by its key path and everything else as JSON (`PickleValueJSON`) under the `graft_object` metadata key.
/// Any safetensors tool can read the tensors; Graft reads the whole value back exactly.
public enum SafetensorsObject {
    /// The `__metadata__` key that holds the value's JSON.
    public static let metadataKey = "graft_object"

    /// The file bytes for `value`, with `metadata` (string pairs) next to the object's JSON.
    public static func encode(_ value: PickleValue, metadata: [(key: String, value: String)] = []) throws -> [UInt8] {
        var tensors: [(name: String, tensor: StoredTensor)] = []
        let json = try PickleValueJSON.encode(value, tensors: &tensors)
        return SafetensorsWriter.encode(StateDict(tensors), metadata: [(key: metadataKey, value: json)] + metadata)
    }

    /// Writes `value` to `url` atomically.
    public static func write(_ value: PickleValue, metadata: [(key: String, value: String)] = [], to url: URL) throws {
        try AtomicFile.write(try encode(value, metadata: metadata), to: url)
    }

    /// The value stored in a safetensors file's tensors and metadata, or nil when it is not a Graft object file.
    static func decode(stateDict: StateDict, metadata: [(key: String, value: String)]) throws -> PickleValue? {
        guard let json = metadata.first(where: { $0.key == metadataKey })?.value else { return nil }
        let parsed = try JSONValue.parse(ArraySlice(Array(json.utf8)), maxDepth: 3 * PickleValueJSON.maxDepth + 2)
        return try PickleValueJSON.decode(parsed, tensors: stateDict)
    }
}
