import Foundation

/// Pads `text` on the left to `width` characters (right-aligns it), like Python's `{:>width}`.
func rightAligned(_ text: String, width: Int) -> String {
    String(repeating: " ", count: max(0, width - text.count)) + text
}

/// `value` with exactly `digits` decimals (correctly rounded, as Python's `{:.2f}`).
func fixed(_ value: Double, digits: Int) -> String {
    String(format: "%.\(digits)f", value)
}

/// One CSV field, quoted when it holds a comma, quote or line break (RFC 4180).
func csvField(_ text: String) -> String {
    guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
    return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}

/// A compact, full-precision decimal for CSV and SVG numbers (shortest round-tripping form).
func plainNumber(_ value: Double) -> String {
    value.isFinite ? "\(value)" : "nan"
}

/// The JSON encoder of every report file: pretty, sorted keys, NaN/Inf as strings so a diverged run still saves.
func reportJSONEncoder() -> JSONEncoder {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    encoder.nonConformingFloatEncodingStrategy = .nonFiniteAsStrings
    return encoder
}

/// The decoder matching `reportJSONEncoder()`.
func reportJSONDecoder() -> JSONDecoder {
    let decoder = JSONDecoder()
    decoder.nonConformingFloatDecodingStrategy = .nonFiniteAsStrings
    return decoder
}

/// `value` as report JSON text.
func prettyJSON<Value: Encodable>(_ value: Value) throws -> String {
    String(decoding: try reportJSONEncoder().encode(value), as: UTF8.self)
}
