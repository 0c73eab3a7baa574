/// Reads the safetensors format: an 8-byte little-endian header length, a JSON header, then the data section.
public enum SafetensorsReader {
    /// Largest header accepted, as in the reference implementation.
    static let maxHeaderLength = 100_000_000

    /// The tensors in header order and the `__metadata__` map.
    public static func read(bytes: [UInt8]) throws -> (stateDict: StateDict, metadata: [(key: String, value: String)]) {
        var cursor = ByteCursor(bytes, context: "safetensors header length")
        let declared = try cursor.readUInt64()
        guard declared <= UInt64(maxHeaderLength) else {
            throw GraftIOError.invalidSafetensorsHeader("header length \(declared) exceeds the \(maxHeaderLength)-byte limit")
        }
        guard declared <= UInt64(cursor.remaining) else {
            throw GraftIOError.invalidSafetensorsHeader("header length \(declared) is larger than the \(cursor.remaining) bytes after it")
        }
        let headerLength = Int(declared)
        guard case .object(let members) = try JSONValue.parse(bytes[8..<(8 + headerLength)]) else {
            throw GraftIOError.invalidSafetensorsHeader("the header is not a JSON object")
        }
        let dataStart = 8 + headerLength
        let dataLength = bytes.count - dataStart
        var metadata: [(key: String, value: String)] = []
        var layouts: [(name: String, layout: TensorLayout)] = []
        for (key, value) in members {
            if key == "__metadata__" {
                metadata = try parseMetadata(value)
            } else {
                layouts.append((key, try TensorLayout(name: key, json: value, dataLength: dataLength)))
            }
        }
        try refuseOverlaps(layouts)
        var stateDict = StateDict()
        for (name, layout) in layouts {
            let range = (dataStart + layout.begin)..<(dataStart + layout.end)
            stateDict[name] = try StoredTensor(dtype: layout.dtype, shape: layout.shape, bytes: Array(bytes[range]))
        }
        return (stateDict, metadata)
    }

    /// One header entry, validated against the data section.
    private struct TensorLayout {
        var dtype: StoredDType
        var shape: [Int]
        var begin: Int
        var end: Int

        init(name: String, json: JSONValue, dataLength: Int) throws {
            func fail(_ reason: String) -> GraftIOError { .invalidSafetensorsHeader("tensor '\(name)': \(reason)") }
            guard case .object(let fields) = json else { throw fail("entry is not an object") }
            func field(_ key: String) -> JSONValue? { fields.first { $0.key == key }?.value }
            guard case .string(let dtypeName)? = field("dtype") else { throw fail("missing 'dtype'") }
            guard let dtype = StoredDType(safetensorsName: dtypeName) else {
                throw fail("unknown dtype '\(dtypeName)' (known: \(StoredDType.allCases.map(\.safetensorsName).joined(separator: ", ")))")
            }
            guard case .array(let shapeValues)? = field("shape") else { throw fail("missing 'shape'") }
            let shape = try shapeValues.map { value -> Int in
                guard case .integer(let dimension) = value, dimension >= 0 else { throw fail("shape entries must be non-negative integers") }
                return dimension
            }
            guard case .array(let offsets)? = field("data_offsets"), offsets.count == 2,
                  case .integer(let begin) = offsets[0], case .integer(let end) = offsets[1] else {
                throw fail("'data_offsets' must be [begin, end]")
            }
            guard begin >= 0, begin <= end, end <= dataLength else {
                throw fail("data_offsets [\(begin), \(end)] lie outside the \(dataLength)-byte data section")
            }
            let count: Int
            do { count = try StoredTensor.elementCount(of: shape) } catch { throw fail("shape \(shape) is too large") }
            let (byteCount, overflow) = count.multipliedReportingOverflow(by: dtype.elementSize)
            guard !overflow, byteCount == end - begin else {
                throw fail("shape \(shape) of \(dtypeName) needs \(overflow ? "too many" : String(byteCount)) bytes but data_offsets span \(end - begin)")
            }
            self.dtype = dtype
            self.shape = shape
            self.begin = begin
            self.end = end
        }
    }

    private static func parseMetadata(_ value: JSONValue) throws -> [(key: String, value: String)] {
        guard case .object(let members) = value else { throw GraftIOError.invalidSafetensorsHeader("'__metadata__' is not an object") }
        return try members.map { member in
            guard case .string(let text) = member.value else {
                throw GraftIOError.invalidSafetensorsHeader("'__metadata__' value for '\(member.key)' is not a string")
            }
            return (member.key, text)
        }
    }

    private static func refuseOverlaps(_ layouts: [(name: String, layout: TensorLayout)]) throws {
        let sorted = layouts.filter { $0.layout.begin < $0.layout.end }.sorted { $0.layout.begin < $1.layout.begin }
        for (previous, current) in zip(sorted, sorted.dropFirst()) where current.layout.begin < previous.layout.end {
            throw GraftIOError.invalidSafetensorsHeader("tensors '\(previous.name)' and '\(current.name)' overlap in the data section")
        }
    }
}
