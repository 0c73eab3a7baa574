import Foundation
import XCTest

@testable import GraftReport

/// Learning curves and the confusion heatmap as SVG and PNG, checked with Python's XML parser and PIL.
final class PlotTests: XCTestCase {
    static func sampleHistory() -> RunHistory {
        var history = RunHistory(
            model: "efficientnet-lite0", data: "fashion-mnist 5000/1000", groupNames: ["head", "stage 6"])
        for epoch in 1...8 {
            let progress = Double(epoch) / 8
            let lrs = epoch <= 3 ? [1e-3 * (1 - progress / 2)] : [1e-3 * (1 - progress / 2), 1e-4 * (1 - progress / 2)]
            history.record(
                EpochRecord(
                    epoch: epoch, phase: epoch <= 3 ? "head" : "unfreeze stage 6", trainLoss: 1.2 - progress,
                    trainAccuracy: 0.55 + 0.4 * progress, validationLoss: epoch == 5 ? .nan : 1.1 - 0.8 * progress,
                    validationAccuracy: 0.6 + 0.3 * progress - (epoch == 8 ? 0.05 : 0), learningRates: lrs,
                    seconds: 30 + Double(epoch), imagesPerSecond: 160))
        }
        return history
    }

    static func sampleMatrix() throws -> ConfusionMatrix {
        // Row 0 all correct (share 1), row 1 split half/half, row 2 absent (all zero).
        try ConfusionMatrix(
            classNames: ["T-shirt/top", "Trouser", "Bag"], counts: [[12, 0, 0], [3, 3, 0], [0, 0, 0]])
    }

    /// Decodes each PNG with PIL and returns "mode width height" plus the requested pixels as "r,g,b,a".
    private func probe(_ file: URL, pixels: [(Int, Int)]) throws -> [String] {
        let coordinates = pixels.map { "\($0.0),\($0.1)" }.joined(separator: ";")
        let output = try PythonProbe.run(
            """
            import sys
            from PIL import Image
            im = Image.open(sys.argv[1]); im.load()
            print(im.mode, im.size[0], im.size[1])
            for xy in filter(None, sys.argv[2].split(';')):
                x, y = map(int, xy.split(','))
                print(','.join(map(str, im.getpixel((x, y)))))
            """, arguments: [file.path, coordinates], needs: ["PIL"])
        return output.split(separator: "\n").map(String.init)
    }

    private func assertWellFormedXML(_ file: URL, expectRoot root: String) throws -> String {
        try PythonProbe.run(
            """
            import sys, xml.etree.ElementTree as ET
            tree = ET.parse(sys.argv[1])
            print(tree.getroot().tag.split('}')[-1], len(list(tree.iter())))
            """, arguments: [file.path])
    }

    func testHeatmapPNGHasCellColorsAndSize() throws {
        let drawing = try Self.sampleMatrix().heatmap()
        let directory = try PythonProbe.scratchDirectory("heatmap")
        let file = directory.appendingPathComponent("confusion.png")
        try drawing.png(pixelsPerUnit: 2).write(to: file)
        // Grid origin: 24 + longest name (11 chars * 6) + 8 = 98 units from the left, 34 from the top; cells 26 units.
        let cell = { (row: Int, column: Int) in
            (Int((98 + 26 * Double(column) + 3) * 2), Int((34 + 26 * Double(row) + 3) * 2))
        }
        let lines = try probe(file, pixels: [cell(0, 0), cell(0, 1), cell(1, 0), cell(1, 1), cell(2, 2), (1, 1)])
        XCTAssertEqual(lines.first, "RGBA \(Int(drawing.width * 2)) \(Int(drawing.height * 2))")
        XCTAssertEqual(lines.count, 7, lines.joined(separator: "\n"))
        guard lines.count == 7 else { return }
        XCTAssertEqual(lines[1], "8,48,107,255", "a fully correct row is the darkest blue")
        XCTAssertEqual(lines[2], "247,251,255,255", "an empty cell is the lightest color")
        XCTAssertEqual(lines[3], "128,150,181,255", "half of the row: the midpoint color")
        XCTAssertEqual(lines[4], "128,150,181,255")
        XCTAssertEqual(lines[5], "247,251,255,255", "an absent class's row stays light")
        XCTAssertEqual(lines[6], "255,255,255,255", "background")
    }

    func testHeatmapSVGIsWellFormedWithEveryCell() throws {
        let svg = try Self.sampleMatrix().heatmap().svg(title: "Confusion <matrix> & co")
        let directory = try PythonProbe.scratchDirectory("heatmap-svg")
        let file = directory.appendingPathComponent("confusion.svg")
        try svg.write(to: file, atomically: true, encoding: .utf8)
        let output = try assertWellFormedXML(file, expectRoot: "svg")
        XCTAssertTrue(output.hasPrefix("svg "), output)
        XCTAssertTrue(svg.contains("Confusion &lt;matrix&gt; &amp; co"))
        XCTAssertTrue(svg.contains(">T-shirt/top</text>"))
        XCTAssertTrue(svg.contains("fill=\"#08306b\""), "the darkest cell is present")
        XCTAssertEqual(
            svg.components(separatedBy: "<rect").count - 1, 1 + 9 + 1 + 20 + 1, "background, cells, frame, color bar")
    }

    func testLearningCurvesRenderInBothFormats() throws {
        let drawing = try Self.sampleHistory().learningCurves()
        let directory = try PythonProbe.scratchDirectory("curves")
        let png = directory.appendingPathComponent("curves.png")
        let svgFile = directory.appendingPathComponent("curves.svg")
        try drawing.png().write(to: png)
        let svg = drawing.svg(title: "Learning curves")
        try svg.write(to: svgFile, atomically: true, encoding: .utf8)
        XCTAssertTrue(try assertWellFormedXML(svgFile, expectRoot: "svg").hasPrefix("svg "))
        for label in ["Loss", "Accuracy", "Learning rate", "epoch", "train", "val", "head", "stage 6", "1e-4"] {
            XCTAssertTrue(svg.contains(">\(label)</text>"), "missing label \(label)")
        }
        XCTAssertEqual(
            svg.components(separatedBy: "stroke-dasharray").count - 1, 2 + 1 + 2 + 3,
            "val loss (split at the NaN), val accuracy, 2 legend samples, a phase marker per panel")

        let output = try PythonProbe.run(
            """
            import sys
            from PIL import Image
            im = Image.open(sys.argv[1]).convert('RGBA')
            colors = {}
            for pixel in im.getdata(): colors[pixel] = colors.get(pixel, 0) + 1
            print(im.size[0], im.size[1], colors.get((31, 119, 180, 255), 0), colors.get((255, 127, 14, 255), 0),
                  colors.get((255, 255, 255, 255), 0), colors.get((51, 51, 51, 255), 0))
            """, arguments: [png.path], needs: ["PIL"])
        let numbers = output.split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
        XCTAssertEqual(numbers.count, 6, output)
        guard numbers.count == 6 else { return }
        XCTAssertEqual(numbers[0], 1920)
        XCTAssertEqual(numbers[1], 500)
        XCTAssertGreaterThan(numbers[2], 500, "train curves in blue")
        XCTAssertGreaterThan(numbers[3], 300, "validation curves in orange")
        XCTAssertGreaterThan(numbers[4], 1920 * 500 / 2, "mostly white background")
        XCTAssertGreaterThan(numbers[5], 2000, "axes and text in dark grey")
    }

    func testEmptyHistoryIsAnErrorNotACrash() {
        XCTAssertThrowsError(try RunHistory(model: "m", data: "d").learningCurves()) {
            XCTAssertEqual($0 as? GraftReportError, .nothingToPlot("the run history has no epochs"))
        }
    }

    func testTextIsDrawnInItsCell() throws {
        var drawing = Drawing(width: 40, height: 20)
        drawing.text("1", 10, 10)
        let image = try Rasterizer.render(drawing, pixelsPerUnit: 1)
        // Size 1 is a 10-pixel font here: the digit sits in the 6-unit cell starting at x = 10, centred on y = 10.
        let inked = (0..<20).flatMap { y in (0..<40).map { (x: $0, y: y) } }
            .filter { image.pixel(x: $0.x, y: $0.y) != .white }
        XCTAssertGreaterThan(inked.count, 8)
        XCTAssertGreaterThanOrEqual(inked.map(\.x).min() ?? 0, 10)
        XCTAssertLessThanOrEqual(inked.map(\.x).max() ?? 99, 16)
        XCTAssertGreaterThanOrEqual(inked.map(\.y).min() ?? 0, 5)
        XCTAssertLessThanOrEqual(inked.map(\.y).max() ?? 99, 14)
        XCTAssertTrue(inked.contains { image.pixel(x: $0.x, y: $0.y) == .black }, "the stem is solid black")
    }
}
