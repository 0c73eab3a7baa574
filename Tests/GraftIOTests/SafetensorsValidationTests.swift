import XCTest
@testable import GraftIO

/// The safetensors header is validated: sane length, valid JSON, known dtypes, consistent sizes, no overlaps.
final class SafetensorsValidationTests: XCTestCase {
    private func file(header: String, data: [UInt8]) -> [UInt8] {
        var bytes = [UInt8]()
        append64(UInt64(header.utf8.count), to: &bytes)
        return bytes + Array(header.utf8) + data
    }

    private func headerError(_ header: String, data: [UInt8] = [UInt8](repeating: 0, count: 16)) -> String {
        do {
            _ = try SafetensorsReader.read(bytes: file(header: header, data: data))
            return "no error"
        } catch {
            return String(describing: error)
        }
    }

    func testValidFileReadsInHeaderOrder() throws {
        let header = #"{"b":{"dtype":"F32","shape":[2],"data_offsets":[8,16]},"__metadata__":{"k":"v"},"a":{"dtype":"I64","shape":[],"data_offsets":[0,8]}}"#
        let (weights, metadata) = try SafetensorsReader.read(bytes: file(header: header, data: Array(0..<16)))
        XCTAssertEqual(weights.names, ["b", "a"])
        XCTAssertEqual(weights["a"]?.bytes, Array(0..<8))
        XCTAssertEqual(weights["b"]?.shape, [2])
        XCTAssertEqual(metadata.first?.key, "k")
    }

    func testInvalidHeadersAreRefusedWithReasons() {
        let cases: [(header: String, expected: String)] = [
            (#"{"a":{"dtype":"F8","shape":[1],"data_offsets":[0,1]}}"#, "unknown dtype 'F8'"),
            (#"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, "needs 12 bytes but data_offsets span 8"),
            (#"{"a":{"dtype":"F32","shape":[4],"data_offsets":[8,24]}}"#, "outside the 16-byte data section"),
            (#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#, "overlap"),
            (#"{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#, "non-negative"),
            (#"{"a":{"dtype":"F32","shape":[2]}}"#, "data_offsets"),
            (#"{"__metadata__":{"k":1}}"#, "is not a string"),
            (#"{"a":1,"a":2}"#, "duplicate key"),
            (#"{"\u0061":1,"a":2}"#, "duplicate key 'a'"),
            (#"{"a":{"dtype":"F32","dtype":"F16","shape":[1],"data_offsets":[0,4]}}"#, "duplicate key 'dtype'"),
            (#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4],}}"#, "trailing comma"),
            (#"{"a":{"dtype":"F32","shape":[true],"data_offsets":[0,4]}}"#, "non-negative integers"),
            (#"{"a":{"dtype":"F32","shape":[1.0],"data_offsets":[0,4]}}"#, "non-negative integers"),
            (#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4e0]}}"#, "data_offsets"),
            (#"{"a":tru}"#, "invalid JSON"),
            (#"{"a":"\ud800"}"#, "invalid JSON"),
            (#"{"a":{"dtype":"F32""#, "JSON ends early"),
            (#"[1,2]"#, "not a JSON object"),
            (String(repeating: "[", count: 1000), "deeper than"),
        ]
        for (header, expected) in cases {
            let message = headerError(header)
            XCTAssertTrue(message.contains(expected), "\(header.prefix(60)) → \(message)")
        }
    }

    func testFoundationParsedValuesKeepOrderAndTypes() throws {
        let text = #"{"z":{"b":1,"a":[true,null,1.5,"\u00e9\"",-0,1e2]},"y":{},"x":[{"q":"r","p":false}]}"#
        let value = try JSONValue.parse(ArraySlice(Array(text.utf8)))
        XCTAssertEqual(describe(value), #"{z:{b:1,a:[true,null,1.5d,"é"",0,100.0d]},y:{},x:[{q:"r",p:false}]}"#)
    }

    /// A compact rendering that shows member order and which numbers are integers (`d` marks doubles).
    private func describe(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let flag): return String(flag)
        case .integer(let number): return String(number)
        case .number(let number): return "\(number)d"
        case .string(let text): return "\"" + text + "\""
        case .array(let items): return "[" + items.map(describe).joined(separator: ",") + "]"
        case .object(let members): return "{" + members.map { $0.key + ":" + describe($0.value) }.joined(separator: ",") + "}"
        }
    }

    func testMetadataKeepsItsOrder() throws {
        let header = #"{"__metadata__":{"z":"1","a":"2","m":"3"}}"#
        let (_, metadata) = try SafetensorsReader.read(bytes: file(header: header, data: []))
        XCTAssertEqual(metadata.map(\.key), ["z", "a", "m"])
    }

    func testHeaderLengthBeyondTheFileIsRefused() {
        var bytes = [UInt8]()
        append64(1 << 40, to: &bytes)
        bytes += Array("{}".utf8)
        XCTAssertThrowsError(try SafetensorsReader.read(bytes: bytes)) { error in
            XCTAssertTrue(String(describing: error).contains("exceeds"), String(describing: error))
        }
        var short = [UInt8]()
        append64(64, to: &short)
        short += Array("{}".utf8)
        XCTAssertThrowsError(try SafetensorsReader.read(bytes: short)) { error in
            XCTAssertTrue(String(describing: error).contains("larger than the 2 bytes"), String(describing: error))
        }
    }

    func testWriterPadsHeaderAndAlignsData() throws {
        var weights = StateDict()
        weights["half"] = try StoredTensor(dtype: .float16, shape: [3], bytes: [1, 2, 3, 4, 5, 6])
        weights["wide"] = try StoredTensor(dtype: .float64, shape: [1], bytes: Array(10..<18))
        let bytes = SafetensorsWriter.encode(weights, metadata: [(key: "format", value: "pt \"q\"")])
        let headerLength = bytes[0..<8].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        XCTAssertEqual(headerLength % 8, 0)
        // float64 data first (aligned), header order kept.
        XCTAssertEqual(Array(bytes[(8 + headerLength)..<(16 + headerLength)]), Array(10..<18))
        let (read, metadata) = try SafetensorsReader.read(bytes: bytes)
        XCTAssertEqual(read.names, ["half", "wide"])
        XCTAssertEqual(read["half"], weights["half"])
        XCTAssertEqual(metadata.first?.value, "pt \"q\"")
    }
}
