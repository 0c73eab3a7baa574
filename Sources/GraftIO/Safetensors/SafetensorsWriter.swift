import Foundation

/// Writes the safetensors format: tensors keep their state-dict order in the header, while the data section
/// is laid out by descending element size so every tensor stays aligned to its element size.
public enum SafetensorsWriter {
    /// The file bytes for `stateDict` with an optional `__metadata__` string map.
    public static func encode(_ stateDict: StateDict, metadata: [(key: String, value: String)] = []) -> [UInt8] {
        let layoutOrder = stateDict.entries.indices.sorted { lhs, rhs in
            let (left, right) = (stateDict.entries[lhs].tensor.dtype.elementSize, stateDict.entries[rhs].tensor.dtype.elementSize)
            return left != right ? left > right : lhs < rhs
        }
        var offsets = [Range<Int>](repeating: 0..<0, count: stateDict.count)
        var position = 0
        for index in layoutOrder {
            let size = stateDict.entries[index].tensor.bytes.count
            offsets[index] = position..<(position + size)
            position += size
        }
        var members: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.map { JSONValue.quoted($0.key) + ":" + JSONValue.quoted($0.value) }
            members.append("\"__metadata__\":{" + pairs.joined(separator: ",") + "}")
        }
        for (index, entry) in stateDict.entries.enumerated() {
            let shape = entry.tensor.shape.map(String.init).joined(separator: ",")
            members.append(JSONValue.quoted(entry.name)
                + ":{\"dtype\":\"\(entry.tensor.dtype.safetensorsName)\",\"shape\":[\(shape)],\"data_offsets\":[\(offsets[index].lowerBound),\(offsets[index].upperBound)]}")
        }
        var header = Array(("{" + members.joined(separator: ",") + "}").utf8)
        header += [UInt8](repeating: 0x20, count: (8 - header.count % 8) % 8)
        var output = [UInt8]()
        output.reserveCapacity(8 + header.count + position)
        append64(UInt64(header.count), to: &output)
        output += header
        for index in layoutOrder { output += stateDict.entries[index].tensor.bytes }
        return output
    }

    /// Writes `stateDict` to `url` atomically.
    public static func write(_ stateDict: StateDict, metadata: [(key: String, value: String)] = [], to url: URL) throws {
        try AtomicFile.write(encode(stateDict, metadata: metadata), to: url)
    }
}
