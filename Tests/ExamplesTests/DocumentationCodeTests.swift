import Foundation
import GraftTestSupport
import XCTest

/// The README's and the DocC articles' Swift code is the compiled code of the examples and snippets, character for
/// character, so the documentation cannot drift from the API.
final class DocumentationCodeTests: XCTestCase {
    static let snippetDirectory = "Tests/ExamplesTests/Snippets"

    /// The Markdown files whose Swift blocks are checked.
    static func documents() throws -> [String] {
        let catalog = "Sources/Graft/Graft.docc"
        let articles = try FileManager.default.contentsOfDirectory(atPath: PackagePaths.file(catalog).path)
            .filter { $0.hasSuffix(".md") }.sorted().map { "\(catalog)/\($0)" }
        return ["README.md"] + articles
    }

    func testEverySwiftBlockEqualsItsCompiledSource() throws {
        var checked = 0
        for document in try Self.documents() {
            let markdown = try String(contentsOf: PackagePaths.file(document), encoding: .utf8)
            for block in DocumentationCode.swiftBlocks(in: markdown) {
                let place = "\(document):\(block.line)"
                guard let marker = block.marker else {
                    XCTFail("\(place): a swift block needs <!-- snippet: PATH[#NAME] --> (or <!-- not compiled: REASON -->) on the line before it")
                    continue
                }
                if marker.hasPrefix("not compiled: ") { continue }
                guard marker.hasPrefix("snippet: ") else {
                    XCTFail("\(place): unknown marker <!-- \(marker) -->")
                    continue
                }
                let reference = String(marker.dropFirst("snippet: ".count))
                XCTAssertEqual(block.code, try DocumentationCode.source(of: reference, root: PackagePaths.root),
                               "\(place) differs from \(reference); copy the compiled code into the document")
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 10, "the README and the articles show compiled code")
    }

    func testTheREADMEShowsTheWholeQuickStart() throws {
        let readme = try String(contentsOf: PackagePaths.file("README.md"), encoding: .utf8)
        let markers = DocumentationCode.swiftBlocks(in: readme).compactMap(\.marker)
        XCTAssertTrue(markers.contains("snippet: Examples/quick-start/main.swift"), "README's Swift API section shows Examples/quick-start/main.swift")
    }

    func testEverySnippetRegionIsShownSomewhere() throws {
        let shown = try Self.documents().flatMap { document in
            DocumentationCode.swiftBlocks(in: try String(contentsOf: PackagePaths.file(document), encoding: .utf8)).compactMap(\.marker)
        }
        let directory = PackagePaths.file(Self.snippetDirectory)
        for file in try FileManager.default.contentsOfDirectory(atPath: directory.path).filter({ $0.hasSuffix(".swift") }) {
            let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            let names = DocumentationCode.regionNames(in: text)
            XCTAssertFalse(names.isEmpty, "\(file) defines no snippet region")
            for name in names {
                XCTAssertTrue(shown.contains("snippet: \(Self.snippetDirectory)/\(file)#\(name)"), "\(file)#\(name) is not shown in any document")
            }
        }
    }

    func testRegionsAreCutAndDedented() throws {
        let text = "func f() {\n    // snippet: body\n    let a = 1\n\n        let b = 2\n    // snippet: end\n}"
        XCTAssertEqual(try DocumentationCode.region("body", in: text, file: "f.swift"), "let a = 1\n\n    let b = 2")
        XCTAssertThrowsError(try DocumentationCode.region("other", in: text, file: "f.swift"))
        let blocks = DocumentationCode.swiftBlocks(in: "text\n<!-- snippet: a.swift#body -->\n```swift\nlet a = 1\n```\n\n```swift\nx\n```")
        XCTAssertEqual(blocks.map(\.marker), ["snippet: a.swift#body", nil])
        XCTAssertEqual(blocks.map(\.code), ["let a = 1", "x"])
    }
}
