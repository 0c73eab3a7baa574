import Foundation
import GraftTestSupport
import XCTest

/// The GraftTestSupport pieces the tests rely on: the time limit, the skip-or-fail rule and the tolerance verdict.
final class TestSupportTests: XCTestCase {
    func testAProgramPastItsTimeLimitIsKilled() throws {
        let start = Date()
        XCTAssertThrowsError(try Subprocess.run(URL(fileURLWithPath: "/bin/sleep"), arguments: ["30"], timeLimit: 1)) { error in
            XCTAssertTrue(error is Subprocess.TimedOut, "\(error)")
        }
        XCTAssertLessThan(Date().timeIntervalSince(start), 10, "killed at the limit, not after the program's 30 s")
    }

    func testAProgramStartedInTheBackgroundIsKilledAtItsTimeLimit() throws {
        let start = Date()
        let process = try Subprocess.start(URL(fileURLWithPath: "/bin/sleep"), arguments: ["30"], timeLimit: 1)
        while process.isRunning && Date().timeIntervalSince(start) < 20 { usleep(20_000) }
        XCTAssertFalse(process.isRunning, "still running 20 s after its 1 s limit")
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        XCTAssertEqual(process.terminationReason, .uncaughtSignal)
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

    func testNaNAndInfinityFailEveryTolerance() {
        let loose = Closeness(atol: 1e9, rtol: 1e9)
        XCTAssertEqual(loose.mismatch([1, .nan, 3], [1, 2, 3] as [Double])?.index, 1, "NaN in the output")
        XCTAssertEqual(loose.mismatch([1, 2, .infinity] as [Float], [1, 2, 3] as [Float])?.index, 2, "+Inf in the output")
        XCTAssertEqual(loose.mismatch([-Double.infinity], [-Double.infinity])?.index, 0, "-Inf even where expected")
        XCTAssertEqual(loose.mismatch([Double.nan], [Double.nan])?.index, 0, "NaN even where expected")
        XCTAssertEqual(loose.mismatch([5, Float.nan], [1e30, 0] as [Double])?.index, 1, "non-finite beats any finite miss")
        XCTAssertTrue(loose.mismatch([Double.nan], [1.0])?.description.contains("not finite") == true)
    }

    func testFiniteValuesPassWithinTheToleranceAndTheWorstMissIsReported() {
        let tight = Closeness(atol: 1e-3, rtol: 1e-2)
        XCTAssertNil(tight.mismatch([1.0105, -200.5], [1.0, -200.0]), "within atol + rtol·|expected|")
        XCTAssertEqual(tight.mismatch([1.1, -203.0, 7.0], [1.0, -200.0, 7.0])?.index, 1, "the furthest beyond it")
        XCTAssertEqual(tight.mismatch([1.0], [1.0, 2.0])?.description, "1 values, expected 2", "different counts")
        XCTAssertNil(tight.mismatch([Double](), [Double]()))
    }
}
