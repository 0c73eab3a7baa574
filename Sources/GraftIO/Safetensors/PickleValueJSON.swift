/// The JSON form of a `PickleValue` inside a Graft object file, with tensors replaced by references to the file's
/// safetensors entries. Plain JSON where Python and JSON agree; a one-member object tagged with `$` elsewhere:
///
/// | Python value | JSON |
/// | --- | --- |
/// | None, bool, int, str, list | null, true/false, integer literal, string, array |
/// | float | a number always written with `.` or an exponent; `{"$float": "nan" / "inf" / "-inf"}` |
/// | tuple | `{"$tuple": [...]}` |
/// | dict with string keys not starting with `$` | an object |
/// | any other dict | `{"$dict": [[key, value], ...]}` |
/// | OrderedDict | `{"$ordered_dict": [[key, value], ...]}` |
/// | tensor | `{"$tensor": "<safetensors entry name>"}` |
enum PickleValueJSON {
    /// The deepest Python nesting written or read; each level takes at most three JSON levels.
    static let maxDepth = 64

    /// JSON text for `value`; each tensor is named by its key path (`model_state_dict/conv1.weight`) and appended
    /// to `tensors`.
    static func encode(_ value: PickleValue, tensors: inout [(name: String, tensor: StoredTensor)]) throws -> String {
        var usedNames = Set<String>()
        return try encode(value, path: [], depth: 0, tensors: &tensors, usedNames: &usedNames)
    }

    /// The value that `json` describes, with tensor references resolved in `tensors`.
    static func decode(_ json: JSONValue, tensors: StateDict) throws -> PickleValue {
        try decode(json, depth: 0, tensors: tensors)
    }

    // MARK: - encoding

    private static func encode(_ value: PickleValue, path: [String], depth: Int, tensors: inout [(name: String, tensor: StoredTensor)],
                               usedNames: inout Set<String>) throws -> String {
        guard depth <= maxDepth else { throw GraftIOError.unwritableValue("a value nested deeper than \(maxDepth) levels") }
        func child(_ item: PickleValue, _ component: String) throws -> String {
            try encode(item, path: path + [component], depth: depth + 1, tensors: &tensors, usedNames: &usedNames)
        }
        func pairs(_ entries: [PickleEntry]) throws -> String {
            "[" + (try entries.map { "[" + (try child($0.key, "key")) + "," + (try child($0.value, keyComponent($0.key))) + "]" })
                .joined(separator: ",") + "]"
        }
        switch value {
        case .none: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .int(let number): return String(number)
        case .float(let number):
            guard number.isFinite else { return "{\"$float\":\"\(number.isNaN ? "nan" : number < 0 ? "-inf" : "inf")\"}" }
            return number.description
        case .string(let text): return JSONValue.quoted(text)
        case .list(let items):
            return "[" + (try items.enumerated().map { try child($0.element, String($0.offset)) }).joined(separator: ",") + "]"
        case .tuple(let items):
            return "{\"$tuple\":[" + (try items.enumerated().map { try child($0.element, String($0.offset)) }).joined(separator: ",") + "]}"
        case .dict(let entries):
            let plain = entries.allSatisfy { if case .string(let key) = $0.key { return !key.hasPrefix("$") } else { return false } }
            guard plain else { return "{\"$dict\":" + (try pairs(entries)) + "}" }
            return "{" + (try entries.map { JSONValue.quoted(keyComponent($0.key)) + ":" + (try child($0.value, keyComponent($0.key))) })
                .joined(separator: ",") + "}"
        case .orderedDict(let entries):
            return "{\"$ordered_dict\":" + (try pairs(entries)) + "}"
        case .tensor(let tensor):
            var name = path.joined(separator: "/")
            if !usedNames.insert(name).inserted {
                name += "#\(tensors.count)"
                usedNames.insert(name)
            }
            tensors.append((name: name, tensor: tensor))
            return "{\"$tensor\":" + JSONValue.quoted(name) + "}"
        case .bigInt: throw GraftIOError.unwritableValue("an integer beyond 64 bits in a Graft object file")
        case .bytes: throw GraftIOError.unwritableValue("bytes in a Graft object file (store a string or a uint8 tensor)")
        case .storage(let key, _): throw GraftIOError.unwritableValue("the bare storage '\(key)' (store a tensor instead)")
        case .global(let module, let name): throw GraftIOError.unwritableValue("the Python global \(module).\(name)")
        }
    }

    /// A dict key as a path component or object member name.
    private static func keyComponent(_ key: PickleValue) -> String {
        switch key {
        case .string(let text): return text
        case .int(let number): return String(number)
        case .float(let number): return number.description
        case .bool(let flag): return flag ? "True" : "False"
        default: return "key"
        }
    }

    // MARK: - decoding

    private static func decode(_ json: JSONValue, depth: Int, tensors: StateDict) throws -> PickleValue {
        guard depth <= maxDepth else { throw GraftIOError.limitExceeded("the object nests deeper than \(maxDepth) levels") }
        func child(_ item: JSONValue) throws -> PickleValue { try decode(item, depth: depth + 1, tensors: tensors) }
        func pairs(_ tag: String, _ items: JSONValue) throws -> [PickleEntry] {
            guard case .array(let list) = items else { throw invalid("\(tag) must hold an array of [key, value] pairs") }
            return try list.map { pair in
                guard case .array(let parts) = pair, parts.count == 2 else { throw invalid("\(tag) must hold [key, value] pairs") }
                return PickleEntry(key: try child(parts[0]), value: try child(parts[1]))
            }
        }
        switch json {
        case .null: return .none
        case .bool(let flag): return .bool(flag)
        case .integer(let number): return .int(number)
        case .number(let number): return .float(number)
        case .string(let text): return .string(text)
        case .array(let items): return .list(try items.map(child))
        case .object(let members):
            guard let tag = members.first?.key, tag.hasPrefix("$") else {
                return .dict(try members.map { PickleEntry(key: .string($0.key), value: try child($0.value)) })
            }
            guard members.count == 1 else { throw invalid("a '\(tag)' object must have no other members") }
            let payload = members[0].value
            switch (tag, payload) {
            case ("$tuple", .array(let items)): return .tuple(try items.map(child))
            case ("$dict", _): return .dict(try pairs(tag, payload))
            case ("$ordered_dict", _): return .orderedDict(try pairs(tag, payload))
            case ("$float", .string(let text)):
                guard let number = ["nan": Double.nan, "inf": .infinity, "-inf": -.infinity][text] else { throw invalid("unknown $float '\(text)'") }
                return .float(number)
            case ("$tensor", .string(let name)):
                guard let tensor = tensors[name] else { throw GraftIOError.missingRecord("tensor '\(name)' referenced by the object is not in the file") }
                return .tensor(tensor)
            default: throw invalid("unknown or malformed tag '\(tag)'")
            }
        }
    }

    private static func invalid(_ reason: String) -> GraftIOError {
        .invalidSafetensorsHeader("Graft object metadata: \(reason)")
    }
}
