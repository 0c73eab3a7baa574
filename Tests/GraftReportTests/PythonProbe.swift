import Foundation
import GraftReport
import GraftTestSupport
import XCTest

/// Runs a snippet in Debian's /usr/bin/python3 (which has PIL) and returns its stdout; skips the test visibly when
/// the interpreter or a needed module is missing (fails it under `GRAFT_REQUIRE_REFERENCE=1`).
enum PythonProbe {
    static let interpreter = ReferencePython.interpreter

    static func run(_ script: String, arguments: [String] = [], needs modules: [String] = []) throws -> String {
        guard FileManager.default.isExecutableFile(atPath: interpreter) else {
            throw Prerequisite.missing("\(interpreter) not found; install python3 to run this check")
        }
        for module in modules {
            guard try execute("import \(module)", arguments: []).status == 0 else {
                throw Prerequisite.missing(
                    "\(interpreter) lacks the `\(module)` module (Debian package python3-\(module.lowercased()))")
            }
        }
        let result = try execute(script, arguments: arguments)
        guard result.status == 0 else {
            XCTFail("python failed (\(result.status)): \(result.errors)")
            return ""
        }
        return result.output
    }

    private static func execute(_ script: String, arguments: [String]) throws -> ReferencePython.Result {
        try ReferencePython.run(code: script, arguments: arguments)
    }

    /// A fresh directory for the test's files.
    static func scratchDirectory(_ name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("graft-report-tests/\(name)")
        try? FileManager.default.removeItem(at: url)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes `image` with `PNGEncoder` into scratch folder `name` and checks that PIL decodes the file to exactly its
    /// RGBA pixels.
    static func assertPILDecodesExactly(_ image: RGBAImage, scratch name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let png = try scratchDirectory(name).appendingPathComponent("image.png")
        try Data(try PNGEncoder.encode(image)).write(to: png)
        let raw = png.appendingPathExtension("raw")
        let output = try run(
            """
            import sys
            from PIL import Image
            im = Image.open(sys.argv[1]); im.load()
            open(sys.argv[2], 'wb').write(im.tobytes())
            print(im.mode, im.size[0], im.size[1])
            """, arguments: [png.path, raw.path], needs: ["PIL"])
        XCTAssertEqual(output.trimmingCharacters(in: .whitespacesAndNewlines), "RGBA \(image.width) \(image.height)", file: file, line: line)
        XCTAssertEqual(Array(try Data(contentsOf: raw)), image.pixels, "PIL decodes exactly the pixels written", file: file, line: line)
    }
}
