import XCTest

@testable import GraftReport

/// The built-in font covers printable ASCII with distinct glyphs.
final class BitmapFontTests: XCTestCase {
    func testEveryPrintableCharacterHasItsOwnGlyph() {
        let printable = (32...126).compactMap { UnicodeScalar($0).map(Character.init) }
        var seen: [[UInt8]: Character] = [:]
        for character in printable {
            let rows = BitmapFont.rows(for: character)
            XCTAssertTrue(rows.count == 7 || rows.count == 8, "\(character): \(rows.count) rows")
            XCTAssertTrue(rows.allSatisfy { $0 < 0x20 }, "\(character) is wider than 5 pixels")
            XCTAssertEqual(rows.contains { $0 != 0 }, character != " ", "\(character)")
            if let twin = seen[rows] { XCTFail("\(character) looks exactly like \(twin)") }
            seen[rows] = character
        }
        XCTAssertEqual(seen.count, 95)
    }

    func testOtherCharactersShowAsABox() {
        XCTAssertEqual(BitmapFont.rows(for: "é"), [0x1F, 0x11, 0x11, 0x11, 0x11, 0x11, 0x1F])
        XCTAssertEqual(BitmapFont.rows(for: "★"), BitmapFont.rows(for: "é"))
    }
}
