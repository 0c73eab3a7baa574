import GraftText
import XCTest

final class TokenizedTextTests: XCTestCase {
    func testCountIsTheNumberOfIds() {
        XCTAssertEqual(TokenizedText(ids: [101, 7592, 102], typeIds: [0, 0, 0]).count, 3)
    }
}
