import Foundation
import GraftReport
import GraftTestSupport
import XCTest

/// A run's report.html in headless Chromium through scripts/check_report_browser: a complete report loads without a
/// console error or a broken image and leaves a screenshot; a page with errors fails the check. Chromium is an optional
/// extra (`scripts/setup --browser`, about 350 MB), so without it these tests skip — even under
/// GRAFT_REQUIRE_REFERENCE=1; `make check-report` runs the same check on a freshly trained run.
final class ReportBrowserTests: XCTestCase {
    static let script = PackagePaths.file("scripts/check_report_browser")

    override func setUpWithError() throws {
        let found = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].contains { FileManager.default.isExecutableFile(atPath: $0) }
        guard found else { throw Prerequisite.missing("Debian's chromium is not installed (scripts/setup installs it)") }
    }

    func temporaryDirectory() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("graft-browser-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    func check(_ page: URL, screenshot: URL) throws -> Subprocess.Result {
        try Subprocess.run(URL(fileURLWithPath: ReferencePython.interpreter),
                           arguments: [Self.script.path, page.path, "--screenshot", screenshot.path, "--timeout", "60"], timeLimit: 90)
    }

    func testACompleteReportLoadsCleanlyInChromium() throws {
        let directory = temporaryDirectory()
        let classes = ["T-shirt", "Pullover", "Éclair", "猫"]
        let matrix = try ConfusionMatrix(predictions: [0, 1, 2, 3, 1, 2], labels: [0, 1, 2, 3, 2, 2], classNames: classes)
        let report = RunReport(title: "browser check", history: PlotTests.sampleHistory(),
                               classificationReport: ClassificationReport(confusionMatrix: matrix), confusionMatrix: matrix)
        for file in try report.files(pixelsPerUnit: 1) { try file.contents.write(to: directory.appendingPathComponent(file.name)) }
        let screenshot = directory.appendingPathComponent("report.png")
        let result = try check(directory.appendingPathComponent("report.html"), screenshot: screenshot)
        XCTAssertEqual(result.status, 0, result.output + result.errors)
        XCTAssertTrue(result.output.contains("no console errors"), result.output)
        let png = try Data(contentsOf: screenshot)
        XCTAssertEqual(Array(png.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        // The screenshot is the whole page: taller than one 900-pixel screen (IHDR height, big-endian at byte 20).
        let height = png[20..<24].reduce(0) { $0 << 8 | Int($1) }
        XCTAssertGreaterThan(height, 900)
    }

    func testAPageWithErrorsFailsTheCheck() throws {
        let directory = temporaryDirectory()
        let page = directory.appendingPathComponent("report.html")
        try Data("<html><body><img src=\"missing.png\"><script>console.error('broken'); undefinedCall();</script></body></html>".utf8)
            .write(to: page)
        let result = try check(page, screenshot: directory.appendingPathComponent("report.png"))
        XCTAssertEqual(result.status, 1, result.output + result.errors)
        for problem in ["console.error: broken", "undefinedCall is not defined", "image did not load: missing.png"] {
            XCTAssertTrue(result.errors.contains(problem), "expected '\(problem)' in: \(result.errors)")
        }
    }
}
