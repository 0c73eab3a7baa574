import Foundation

extension JSONValue {
    /// Parses exactly one JSON value from `bytes` with Foundation's `JSONSerialization`, keeping object members in
    /// document order and refusing duplicate member names, nesting deeper than `maxDepth` (so hostile headers
    /// cannot exhaust the stack) and trailing commas.
    static func parse(_ bytes: ArraySlice<UInt8>, maxDepth: Int = 64) throws -> JSONValue {
        func error(_ reason: String, _ offset: Int) -> Error {
            GraftIOError.invalidSafetensorsHeader("\(reason) at header byte \(offset)")
        }
        let keys = try bytes.withUnsafeBufferPointer { try JSONObjectKeys(scanning: $0, maxDepth: maxDepth, error: error) }
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: Data(bytes), options: .fragmentsAllowed)
        } catch {
            let reason = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
            throw GraftIOError.invalidSafetensorsHeader("invalid JSON: \(reason)")
        }
        var nextObject = 0
        return try convert(parsed, keys: keys.objects, nextObject: &nextObject)
    }

    /// `value` from `JSONSerialization` as a `JSONValue`; objects take their member order from `keys`, consumed in
    /// document order (a depth-first walk meets the objects in the order their `{` appears).
    private static func convert(_ value: Any, keys: [[String]], nextObject: inout Int) throws -> JSONValue {
        switch value {
        case is NSNull:
            return .null
        case let text as String:
            return .string(text)
        case let items as [Any]:
            return .array(try items.map { try convert($0, keys: keys, nextObject: &nextObject) })
        case let members as [String: Any]:
            guard nextObject < keys.count, keys[nextObject].count == members.count else {
                throw GraftIOError.invalidSafetensorsHeader("JSON object members could not be ordered")
            }
            let order = keys[nextObject]
            nextObject += 1
            return .object(try order.map { key in
                guard let member = members[key] else {
                    throw GraftIOError.invalidSafetensorsHeader("JSON object members could not be ordered")
                }
                return (key: key, value: try convert(member, keys: keys, nextObject: &nextObject))
            })
        case let number as NSNumber:
            return try convert(number)
        default:
            throw GraftIOError.invalidSafetensorsHeader("unexpected JSON value \(type(of: value))")
        }
    }

    /// Booleans, integers that fit in `Int` and other numbers, told apart by the type Foundation stored.
    private static func convert(_ number: NSNumber) throws -> JSONValue {
        switch String(cString: number.objCType) {
        case "c", "B":
            return .bool(number.boolValue)
        case "d", "f":
            guard number.doubleValue.isFinite else { throw GraftIOError.invalidSafetensorsHeader("invalid number \(number)") }
            return .number(number.doubleValue)
        default:
            if let integer = Int(exactly: number) { return .integer(integer) }
            return .number(number.doubleValue)
        }
    }
}
