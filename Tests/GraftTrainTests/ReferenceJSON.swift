import Foundation
import GraftTestSupport

/// Runs a Python twin that reads `input` (JSON, path in `sys.argv[1]`) and prints one JSON object as its last line.
enum ReferenceJSON {
    static func run(code: String, input: [String: Any]) throws -> [String: Any] {
        try ReferencePython.require(modules: ["torch"])
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("graft-twin-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: url) }
        try JSONSerialization.data(withJSONObject: input).write(to: url)
        let run = try ReferencePython.run(code: code, arguments: [url.path])
        guard run.status == 0, let line = run.output.split(separator: "\n").last,
              let result = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            throw RigError("the Python twin failed: \(run.errors.suffix(2000)) \(run.output.suffix(500))")
        }
        return result
    }

    /// `value` as a flat array of numbers.
    static func floats(_ value: Any?) throws -> [Double] {
        guard let numbers = value as? [NSNumber] else { throw RigError("expected a list of numbers, got \(String(describing: value))") }
        return numbers.map(\.doubleValue)
    }
}
