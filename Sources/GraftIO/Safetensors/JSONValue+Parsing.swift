import Foundation

extension JSONValue {
    /// Parses exactly one JSON value from `bytes` with Foundation's `JSONSerialization`, keeping object members in
    /// document order and refusing duplicate member names, nesting deeper than `maxDepth` (so hostile headers
    /// cannot exhaust the stack) and trailing commas.
    static func parse(_ bytes: ArraySlice<UInt8>, maxDepth: Int = 64) throws -> JSONValue {
        func error(_ reason: String, _ offset: Int) -> Error {
            GraftIOError.invalidSafetensorsHeader("\(reason) at header byte \(offset)")
        }
        let scan = try bytes.withUnsafeBufferPointer { try JSONTextScan(scanning: $0, maxDepth: maxDepth, error: error) }
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: Data(bytes), options: .fragmentsAllowed)
        } catch {
            let reason = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
            throw GraftIOError.invalidSafetensorsHeader("invalid JSON: \(reason)")
        }
        var position = (object: 0, number: 0)
        return try convert(parsed, scan: scan, position: &position)
    }

    /// `value` from `JSONSerialization` as a `JSONValue`. Objects take their member order and numbers their integer
    /// values from `scan`, consumed in document order: a depth-first walk meets objects and numbers in text order.
    private static func convert(_ value: Any, scan: JSONTextScan, position: inout (object: Int, number: Int)) throws -> JSONValue {
        switch value {
        case is NSNull:
            return .null
        case let text as String:
            return .string(text)
        case let items as [Any]:
            return .array(try items.map { try convert($0, scan: scan, position: &position) })
        case let members as [String: Any]:
            guard position.object < scan.objects.count, scan.objects[position.object].count == members.count else {
                throw GraftIOError.invalidSafetensorsHeader("JSON object members could not be ordered")
            }
            let order = scan.objects[position.object]
            position.object += 1
            return .object(try order.map { key in
                guard let member = members[key] else {
                    throw GraftIOError.invalidSafetensorsHeader("JSON object members could not be ordered")
                }
                return (key: key, value: try convert(member, scan: scan, position: &position))
            })
        case let number as NSNumber:
            // Booleans are NSNumbers too; Foundation marks them with the `char` type.
            if String(cString: number.objCType) == "c" { return .bool(number.boolValue) }
            guard position.number < scan.integers.count else {
                throw GraftIOError.invalidSafetensorsHeader("JSON numbers could not be matched to the text")
            }
            defer { position.number += 1 }
            if let integer = scan.integers[position.number] { return .integer(integer) }
            guard number.doubleValue.isFinite else { throw GraftIOError.invalidSafetensorsHeader("invalid number \(number)") }
            return .number(number.doubleValue)
        default:
            throw GraftIOError.invalidSafetensorsHeader("unexpected JSON value \(type(of: value))")
        }
    }
}
