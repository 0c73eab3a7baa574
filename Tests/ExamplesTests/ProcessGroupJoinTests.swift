import Foundation
import GraftTestSupport
import XCTest

/// The process-group article's snippet runs as a one-rank group described by torchrun's variables.
final class ProcessGroupJoinTests: XCTestCase {
    func testTheSnippetJoinsAndSums() throws {
        let variables = ["MASTER_ADDR": "127.0.0.1", "MASTER_PORT": String(try LoopbackPort.free()), "RANK": "0", "WORLD_SIZE": "1"]
        // The variables are this process's only while the snippet runs: processes other tests start must not inherit them.
        for (name, value) in variables { setenv(name, value, 1) }
        defer { for name in variables.keys { unsetenv(name) } }
        XCTAssertEqual(try ProcessGroupJoinExample.totalSamples(samplesSeen: 7), 7)
    }
}
