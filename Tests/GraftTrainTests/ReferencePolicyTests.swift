import Foundation
import GraftTestSupport
import XCTest

/// A missing reference engine skips a parity test, unless `GRAFT_REQUIRE_REFERENCE=1` (set by CI) makes it fail.
final class ReferencePolicyTests: XCTestCase {
    func testMissingReferenceSkipsOrFailsByEnvironment() {
        let saved = ProcessInfo.processInfo.environment["GRAFT_REQUIRE_REFERENCE"]
        defer {
            if let saved { setenv("GRAFT_REQUIRE_REFERENCE", saved, 1) } else { unsetenv("GRAFT_REQUIRE_REFERENCE") }
        }
        unsetenv("GRAFT_REQUIRE_REFERENCE")
        XCTAssertTrue(ReferencePython.unavailable("no torch") is XCTSkip)
        setenv("GRAFT_REQUIRE_REFERENCE", "1", 1)
        let error = ReferencePython.unavailable("no torch")
        XCTAssertTrue(error is ReferencePython.Unavailable)
        XCTAssertTrue("\(error)".contains("GRAFT_REQUIRE_REFERENCE=1"), "\(error)")
        XCTAssertThrowsError(try ReferencePython.require(modules: ["graft_no_such_module"])) { XCTAssertTrue($0 is ReferencePython.Unavailable, "\($0)") }
    }
}
