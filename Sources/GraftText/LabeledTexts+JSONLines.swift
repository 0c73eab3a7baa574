import Foundation
import GraftData

extension LabeledTexts {
    /// Reads JSON lines: one object per line, the text a string, the label a string or a number; blank lines are
    /// ignored.
    static func readJSONLines(_ path: String, options: TextReadingOptions) throws -> LabeledTexts {
        let file = try TextFileLines(path: path)
        var objects: [(origin: TextOrigin, fields: Result<[String: JSONField], JSONLineProblem>)] = []
        var keys = Set<String>()
        let decoder = JSONDecoder()
        for line in file.lines where line.text.contains(where: { !$0.isWhitespace }) {
            let origin = TextOrigin(file: path, line: line.number)
            if let problem = line.encodingProblem {
                objects.append((origin, .failure(JSONLineProblem(reason: problem))))
                continue
            }
            do {
                let fields = try decoder.decode([String: JSONField].self, from: Data(line.bytes))
                keys.formUnion(fields.keys)
                objects.append((origin, .success(fields)))
            } catch DecodingError.typeMismatch {
                objects.append((origin, .failure(JSONLineProblem(reason: "not a JSON object"))))
            } catch {
                objects.append((origin, .failure(JSONLineProblem(reason: "not valid JSON"))))
            }
        }
        if !keys.isEmpty {
            for (name, setting) in [(options.textColumn, "textColumn"), (options.labelColumn, "labelColumn")] where !keys.contains(name) {
                throw DataError.missingColumn(path: path, setting: setting, name: name, available: keys.sorted())
            }
        }
        var collector = TextRowCollector(source: path, options: options)
        for (origin, parsed) in objects {
            switch parsed {
            case .failure(let problem):
                try collector.reject(origin, reason: problem.reason)
            case .success(let fields):
                let text = fields[options.textColumn], label = fields[options.labelColumn]
                if let text, text.string == nil, text != .null {
                    try collector.reject(origin, reason: "`\(options.textColumn)` is not a string")
                } else if let label, label.labelText == nil, label != .null {
                    try collector.reject(origin, reason: "`\(options.labelColumn)` is neither a string nor a number")
                } else {
                    try collector.add(text: text?.string, label: label?.labelText, from: origin)
                }
            }
        }
        return try collector.finish(labelSource: "the label field `\(options.labelColumn)`", emptyReason: "no texts (every line is blank)")
    }
}

/// Why a JSON line was not read.
struct JSONLineProblem: Error {
    let reason: String
}

/// One value of a JSON object, as far as a text dataset cares.
enum JSONField: Decodable, Equatable {
    case string(String)
    case integer(Int)
    case number(Double)
    case boolean(Bool)
    case null
    /// An array or object.
    case other

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .boolean(value)
        } else if let value = try? container.decode(Int.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else {
            self = .other
        }
    }

    /// The value when it is a string.
    var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// A label as text: a string as is, a whole number in decimal (`3.0` → `3`), another number as Swift prints it.
    var labelText: String? {
        switch self {
        case .string(let value): return value
        case .integer(let value): return String(value)
        case .number(let value):
            if value.rounded() == value, let whole = Int(exactly: value) { return String(whole) }
            return String(value)
        case .boolean, .null, .other: return nil
        }
    }
}
