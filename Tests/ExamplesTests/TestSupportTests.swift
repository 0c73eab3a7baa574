import Foundation
import GraftTestSupport
import XCTest

/// The GraftTestSupport pieces the examples' tests rely on: the time limit and the skip-or-fail rule.
final class TestSupportTests: XCTestCase {
    func testAProgramPastItsTimeLimitIsKilled() throws {
        let start = Date()
        XCTAssertThrowsError(try Subprocess.run(URL(fileURLWithPath: "/bin/sleep"), arguments: ["30"], timeLimit: 1)) { error in
            XCTAssertTrue(error is Subprocess.TimedOut, "\(error)")
        }
        XCTAssertLessThan(Date().timeIntervalSince(start), 10, "killed at the limit, not after the program's 30 s")
    }

    func testOutputAndStatusComeBack() throws {
        let run = try Subprocess.run(URL(fileURLWithPath: "/bin/sh"), arguments: ["-c", "echo out; echo err >&2; exit 3"],
                                     environment: ["GRAFT_PROBE": "x"], timeLimit: 30)
        XCTAssertEqual(run.status, 3)
        XCTAssertEqual(run.output, "out\n")
        XCTAssertEqual(run.errors, "err\n")
    }

    func testMissingPrerequisitesSkipUnlessRequired() throws {
        let saved = ProcessInfo.processInfo.environment["GRAFT_REQUIRE_REFERENCE"]
        defer {
            if let saved { setenv("GRAFT_REQUIRE_REFERENCE", saved, 1) } else { unsetenv("GRAFT_REQUIRE_REFERENCE") }
        }
        unsetenv("GRAFT_REQUIRE_REFERENCE")
        XCTAssertTrue(Prerequisite.missing("no data") is XCTSkip)
        setenv("GRAFT_REQUIRE_REFERENCE", "1", 1)
        let required = Prerequisite.missing("no data")
        XCTAssertFalse(required is XCTSkip, "under GRAFT_REQUIRE_REFERENCE=1 a missing prerequisite fails the test")
        XCTAssertTrue("\(required)".contains("no data"))
    }
}
