import Foundation
import XCTest

@testable import GraftReport

/// PNG writing through libpng, checked against PIL's decoder.
final class PNGEncoderTests: XCTestCase {
    func testNoisyAndFlatImagesDecodeBitExactlyInPIL() throws {
        var image = try RGBAImage(width: 97, height: 61, fill: RGBAColor(hex: 0x336699))
        var state: UInt64 = 12345
        for y in 0..<61 {
            for x in 0..<97 where (x / 8 + y / 8) % 2 == 0 {
                // A linear congruential generator gives noise that defeats compression.
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                let bits = UInt32(truncatingIfNeeded: state >> 32)
                image.blend(
                    x: x, y: y,
                    RGBAColor(
                        red: UInt8(bits & 0xFF), green: UInt8((bits >> 8) & 0xFF),
                        blue: UInt8((bits >> 16) & 0xFF), alpha: UInt8((bits >> 24) | 1)))
            }
        }
        try PythonProbe.assertPILDecodesExactly(image, scratch: "png-noise")
    }

    func testFlatImageCompressesWell() throws {
        let image = try RGBAImage(width: 800, height: 600, fill: .white)
        let bytes = try PNGEncoder.encode(image)
        XCTAssertLessThan(bytes.count, 20_000, "a blank 800x600 image should shrink to a few bytes per row")
        XCTAssertEqual(Array(bytes.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    }

    func testLargeDrawingsLowerTheirScaleToFit() throws {
        var wide = Drawing(width: 5000, height: 20)
        wide.rectangle(0, 0, 10, 10, fill: .black)
        let png = try wide.png(pixelsPerUnit: 2)
        let width = png[16..<20].reduce(0) { $0 << 8 | Int($1) }
        let height = png[20..<24].reduce(0) { $0 << 8 | Int($1) }
        XCTAssertEqual(
            [width, height], [5000, 20], "rendered at one pixel per unit instead of failing at 10000 pixels")
    }

    func testImageSizeLimitsAreErrors() {
        XCTAssertThrowsError(try RGBAImage(width: 0, height: 10, fill: .white))
        XCTAssertThrowsError(try Rasterizer.render(Drawing(width: 1e7, height: 10)))
        XCTAssertThrowsError(try Rasterizer.render(Drawing(width: .nan, height: 100)))
    }
}
