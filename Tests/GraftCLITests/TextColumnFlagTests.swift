import Foundation
import GraftTestSupport
import XCTest

/// `--text-column` / `--label-column` (and their config keys) are checked and named in errors.
final class TextColumnFlagTests: XCTestCase {
    func testBadTextColumnsAreRefusedByFlag() throws {
        try expectFailure(["train", "--data", "fashion-mnist", "--text-column", " "], mentioning: "--text-column must name a column (got ' ')")
        let config = CLI.temporaryDirectory(self).appendingPathComponent("text.yaml")
        try "data: fashion-mnist\ntext_column: body\nlabel-column: body\n".write(to: config, atomically: true, encoding: .utf8)
        try expectFailure(["train", "--config", config.path], mentioning: "--label-column must differ from the text column (both are 'body')")
    }
}
