import Foundation
import XCTest

/// What a test needs from the machine (a dataset, offline weights, a built program, Debian's Python): a missing one
/// skips the test visibly, or fails it under `GRAFT_REQUIRE_REFERENCE=1` (which CI sets), so a green run there cannot
/// hide a check that quietly did not run.
public enum Prerequisite {
    /// Whether missing prerequisites fail instead of skipping.
    public static var isRequired: Bool { ProcessInfo.processInfo.environment["GRAFT_REQUIRE_REFERENCE"] == "1" }

    /// The error to throw when a prerequisite is missing: `XCTSkip(reason)`, or a failure when they are required.
    public static func missing(_ reason: String) -> Error {
        isRequired ? Missing(reason: reason) : XCTSkip(reason)
    }

    /// Throws `missing` unless a file or directory exists at `path`; `what` names it and how to install it.
    public static func requireFile(_ path: String, _ what: String) throws {
        guard FileManager.default.fileExists(atPath: path) else { throw missing("\(path) is missing: \(what)") }
    }

    /// A prerequisite missing while `GRAFT_REQUIRE_REFERENCE=1` demands it.
    struct Missing: Error, CustomStringConvertible {
        let reason: String
        var description: String { "\(reason) (required because GRAFT_REQUIRE_REFERENCE=1)" }
    }
}
