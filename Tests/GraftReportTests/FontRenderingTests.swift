import Foundation
import XCTest

@testable import GraftReport

/// PNG text is drawn by FreeType from Debian's fonts, so accented, Greek, Cyrillic and CJK class names show their
/// own glyphs instead of a missing-glyph box.
final class FontRenderingTests: XCTestCase {
    /// An unassigned code point: no font has it, so it draws the missing-glyph box.
    private static let missing = "\u{0378}"

    /// Which pixels `text` inks when drawn alone at 2 pixels per unit.
    private func ink(_ text: String, vertical: Bool = false) throws -> [Bool] {
        var drawing = Drawing(width: 40, height: 40)
        drawing.text(text, 8, 20, vertical: vertical)
        let image = try Rasterizer.render(drawing, pixelsPerUnit: 2)
        return (0..<image.height).flatMap { y in (0..<image.width).map { image.pixel(x: $0, y: y) != .white } }
    }

    func testEveryCharacterDrawsItsOwnGlyphNotTheBox() throws {
        let box = try ink(Self.missing)
        XCTAssertGreaterThan(box.filter { $0 }.count, 20, "the missing-glyph box itself is drawn")
        var seen: [[Bool]: String] = [:]
        for character in ["e", "é", "è", "ê", "û", "u", "Ω", "ж", "日", "本", "語", "ñ"] {
            let glyph = try ink(character)
            XCTAssertGreaterThan(glyph.filter { $0 }.count, 10, "\(character) inks pixels")
            XCTAssertNotEqual(glyph, box, "\(character) is not drawn as the missing-glyph box")
            if let twin = seen[glyph] { XCTFail("\(character) looks exactly like \(twin)") }
            seen[glyph] = character
        }
    }

    func testDecomposedAccentsMatchPrecomposedOnes() throws {
        XCTAssertEqual(try ink("e\u{0301}"), try ink("é"), "a base letter and its combining accent draw as one glyph")
        XCTAssertEqual(try ink("日", vertical: true).filter { $0 }.count, try ink("日").filter { $0 }.count,
                       "vertical text draws the same glyph turned")
    }

    func testWideCharactersTakeTwoCells() {
        XCTAssertEqual(TextMeasure.width("abc"), 18)
        XCTAssertEqual(TextMeasure.width("日本語"), 36)
        XCTAssertEqual(TextMeasure.width("crème brûlée"), 72)
        XCTAssertEqual(TextMeasure.width("e\u{0301}"), 6, "a combining accent takes no cell of its own")
    }

    func testConfusionMatrixDrawsNonASCIIClassNames() throws {
        let names = ["crème brûlée", "日本語", "Ωmega"]
        let counts = [[5, 1, 0], [0, 4, 2], [1, 0, 6]]
        let image = try Rasterizer.render(try ConfusionMatrix(classNames: names, counts: counts).heatmap(), pixelsPerUnit: 2)
        // The same layout with each name replaced by as many missing-glyph boxes as it has cells: what a font without
        // these characters would draw.
        let boxNames = names.map { String(repeating: Self.missing, count: TextMeasure.cells($0)) }
        let boxed = try Rasterizer.render(try ConfusionMatrix(classNames: boxNames, counts: counts).heatmap(), pixelsPerUnit: 2)
        XCTAssertEqual([image.width, image.height], [boxed.width, boxed.height])

        // Layout: grid 24 + 72 (the longest name) + 8 = 104 units from the left, 34 from the top, 26-unit cells.
        let gridLeft = 104.0, gridTop = 34.0, cell = 26.0
        func region(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double, of picture: RGBAImage) -> [RGBAColor?] {
            (Int(y0 * 2)..<Int(y1 * 2)).flatMap { y in (Int(x0 * 2)..<Int(x1 * 2)).map { picture.pixel(x: $0, y: y) } }
        }
        for (index, name) in names.enumerated() {
            let width = TextMeasure.width(name)
            let rowCentre = gridTop + cell * (Double(index) + 0.5)
            let rowLabel = { region(gridLeft - 6 - width, rowCentre - 7, gridLeft - 6, rowCentre + 7, of: $0) }
            let columnCentre = gridLeft + cell * (Double(index) + 0.5)
            let labelTop = gridTop + cell * 3 + 6
            let columnLabel = { region(columnCentre - 7, labelTop, columnCentre + 7, labelTop + width, of: $0) }
            for (label, pixels) in [("row", rowLabel(image)), ("column", columnLabel(image))] {
                XCTAssertGreaterThan(pixels.filter { $0 != .white }.count, 40, "\(name): the \(label) label is drawn")
            }
            XCTAssertNotEqual(rowLabel(image), rowLabel(boxed), "\(name): the row label shows glyphs, not boxes")
            XCTAssertNotEqual(columnLabel(image), columnLabel(boxed), "\(name): the column label shows glyphs, not boxes")
        }

        // The PNG libpng writes decodes (in PIL) to exactly these pixels.
        try PythonProbe.assertPILDecodesExactly(image, scratch: "non-ascii-heatmap")
    }

    func testMissingFontsAreNamedWithTheirPackage() throws {
        let absent = FontStack.Source(path: "/nonexistent/fonts/Absent.ttf", faceIndex: 0, package: "fonts-absent")
        XCTAssertThrowsError(try FontStack(sources: [absent])) { error in
            XCTAssertEqual(error as? GraftReportError, .fontMissing(path: absent.path, package: "fonts-absent"))
            XCTAssertTrue(String(describing: error).contains("apt-get install fonts-absent"), "\(error)")
        }
        // A missing fallback font matters only once a character needs it.
        let stack = try FontStack(sources: [FontStack.debianSources[0], absent])
        XCTAssertGreaterThan(try stack.glyph(for: "é", pixelSize: 20).coverage.filter { $0 > 0 }.count, 10)
        XCTAssertThrowsError(try stack.glyph(for: "日", pixelSize: 20)) { error in
            XCTAssertEqual(error as? GraftReportError, .fontMissing(path: absent.path, package: "fonts-absent"))
        }
    }
}
