import Foundation

/// A pass over JSON text for what Foundation's parser does not give: the member names of every object in document
/// order (Foundation returns unordered dictionaries, and safetensors headers and Python dicts are ordered), duplicate
/// names (Foundation silently keeps one), nesting depth, trailing commas (Foundation accepts them), and the exact
/// value of integer literals (Foundation may store large ones as doubles). Everything else about the syntax —
/// literals, number forms, escapes, UTF-8 — is left to `JSONSerialization`.
struct JSONTextScan {
    /// The member names of each object, objects listed in the order their `{` appears.
    let objects: [[String]]
    /// Each number literal in document order: its value when written as an integer that fits in `Int`, else nil.
    let integers: [Int?]

    /// Scans `bytes`; `describe` turns a reason into the error thrown.
    init(scanning bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int, error describe: (String, Int) -> Error) throws {
        var objects: [[String]] = []
        var integers: [Int?] = []
        // Per open container: the index into `objects` for an object, nil for an array.
        var open: [Int?] = []
        var seen: [Set<String>] = []
        var previous: UInt8 = 0
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                let start = index
                index += 1
                while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
                    index += bytes[index] == UInt8(ascii: "\\") ? 2 : 1
                }
                guard index < bytes.count else { throw describe("JSON ends early inside a string", start) }
                if let object = open.last ?? nil, previous == UInt8(ascii: "{") || previous == UInt8(ascii: ",") {
                    let key = try Self.decodeKey(UnsafeBufferPointer(rebasing: bytes[start...index]), at: start, error: describe)
                    guard seen[seen.count - 1].insert(key).inserted else { throw describe("duplicate key '\(key)'", start) }
                    objects[object].append(key)
                }
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                guard open.count < maxDepth else { throw describe("JSON nests deeper than \(maxDepth) levels", index) }
                if byte == UInt8(ascii: "{") {
                    open.append(objects.count)
                    objects.append([])
                    seen.append([])
                } else {
                    open.append(nil)
                }
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                guard previous != UInt8(ascii: ",") else { throw describe("trailing comma", index) }
                if let closed = open.popLast(), closed != nil { seen.removeLast() }
            case 0x20, 0x09, 0x0A, 0x0D:
                index += 1
                continue
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                let start = index
                while index + 1 < bytes.count, Self.numberBytes.contains(bytes[index + 1]) { index += 1 }
                integers.append(Int(String(decoding: UnsafeBufferPointer(rebasing: bytes[start...index]), as: UTF8.self)))
            default:
                break
            }
            previous = byte
            index += 1
        }
        guard open.isEmpty else { throw describe("JSON ends early (\(open.count) unclosed)", index) }
        self.objects = objects
        self.integers = integers
    }

    private static let numberBytes = Set("+-0123456789.eE".utf8)

    /// The text of a member-name literal (quotes included); escaped names go through Foundation.
    private static func decodeKey(_ literal: UnsafeBufferPointer<UInt8>, at offset: Int, error describe: (String, Int) -> Error) throws -> String {
        if !literal.contains(UInt8(ascii: "\\")), let text = String(validating: literal.dropFirst().dropLast(), as: UTF8.self) {
            return text
        }
        guard let text = try? JSONSerialization.jsonObject(with: Data(literal), options: .fragmentsAllowed) as? String else {
            throw describe("invalid object key", offset)
        }
        return text
    }
}
