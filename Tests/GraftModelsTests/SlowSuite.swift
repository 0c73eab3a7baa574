import Foundation
import XCTest

/// The opt-in slow suite: parity of every size of a model family, run only when the environment has
/// `GRAFT_SLOW_TESTS=1` (the one allowed skip; `make test` covers one size per family).
enum SlowSuite {
    /// Throws `XCTSkip` unless `GRAFT_SLOW_TESTS=1`.
    static func requireEnabled() throws {
        guard ProcessInfo.processInfo.environment["GRAFT_SLOW_TESTS"] == "1" else {
            throw XCTSkip("slow suite: set GRAFT_SLOW_TESTS=1 to check every size against torchvision")
        }
    }
}
