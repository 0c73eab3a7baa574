import Foundation
import XCTest

/// Debian's Python (python3-torch, torchvision, PIL, scikit-learn), the reference the parity tests compare with, with
/// the test-only packages `scripts/setup` installs into `assets/python` (Hugging Face `tokenizers`, `transformers`) on
/// its path. Never the `python3` first on PATH, which may be another interpreter without those modules.
public enum ReferencePython {
    /// The interpreter's path.
    public static let interpreter = "/usr/bin/python3"

    /// What a run printed and how it ended.
    public typealias Result = Subprocess.Result

    /// Longest a reference script may run (fixture generation on two cores takes a few minutes at most).
    public static let timeLimit: TimeInterval = 900

    /// The folder of test-only Python packages `scripts/setup` installs.
    public static let packages = PackagePaths.file("assets/python")

    /// Runs the interpreter with `arguments` (a script path and its arguments, or `-c CODE …`) to completion.
    public static func run(_ arguments: [String]) throws -> Result {
        guard FileManager.default.isExecutableFile(atPath: interpreter) else {
            throw Prerequisite.missing("\(interpreter) is missing; install python3-torch to run this parity check")
        }
        return try Subprocess.run(URL(fileURLWithPath: interpreter), arguments: arguments,
                                  environment: ["PYTHONPATH": packages.path], timeLimit: timeLimit)
    }

    /// Runs `code` with `arguments` in `sys.argv[1:]`.
    public static func run(code: String, arguments: [String] = []) throws -> Result {
        try run(["-c", code] + arguments)
    }

    /// Skips the test (fails it under `GRAFT_REQUIRE_REFERENCE=1`) unless every module imports.
    public static func require(modules: [String]) throws {
        let check = try run(code: "import " + modules.joined(separator: ", "))
        if check.status != 0 {
            throw Prerequisite.missing("\(interpreter) cannot import \(modules.joined(separator: ", ")) (Debian python3-torch, python3-torchvision, python3-pil, python3-sklearn; `scripts/setup` installs tokenizers and transformers into assets/python)")
        }
    }
}
