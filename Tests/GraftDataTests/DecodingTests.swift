import Foundation
import XCTest
@testable import GraftData

final class DecodingTests: XCTestCase {
    func testPNGPhotosDecodeExactlyLikePIL() throws {
        let fixtures = try ReferenceFixtures.load()
        for photo in ["chelsea.png", "coffee.png", "astronaut.png"] {
            let decoded = try ImageDecoder.decodeFile(atPath: ReferenceFixtures.photos + "/" + photo)
            let reference = try fixtures.image("decode_" + photo)
            XCTAssertEqual(decoded.width, reference.width, photo)
            XCTAssertEqual(decoded.height, reference.height, photo)
            XCTAssertTrue(decoded.pixels == reference.pixels, "\(photo) differs from PIL")
        }
    }

    func testJPEGPhotoMatchesPILWithinOneGreyLevel() throws {
        let fixtures = try ReferenceFixtures.load()
        let decoded = try ImageDecoder.decodeFile(atPath: ReferenceFixtures.photos + "/rocket.jpg")
        let reference = try fixtures.image("decode_rocket.jpg")
        XCTAssertEqual([decoded.width, decoded.height], [reference.width, reference.height])
        let difference = meanAbsoluteDifference(decoded, reference)
        XCTAssertLessThanOrEqual(difference, 1.0)
        print("rocket.jpg vs PIL: mean abs difference \(difference) grey levels")
    }

    func testPNGVariantsMatchPILConvertRGBExactly() throws {
        let fixtures = try ReferenceFixtures.load()
        let variants = ["grey", "grey_alpha", "rgba", "palette", "palette_4bit", "palette_trns", "bilevel",
                        "grey16", "rgb16", "rgba16", "grey_alpha16"]
        for variant in variants {
            let name = "png_" + variant
            let decoded = try ImageDecoder.decodeFile(atPath: fixtures.path(name + ".png"))
            XCTAssertTrue(decoded == (try fixtures.image(name)), "\(variant) differs from PIL's convert('RGB')")
        }
    }

    func testEXIFOrientationsMatchPILExifTranspose() throws {
        let fixtures = try ReferenceFixtures.load()
        for orientation in 1...8 {
            let name = "jpeg_orientation\(orientation)"
            let decoded = try ImageDecoder.decodeFile(atPath: fixtures.path(name + ".jpg"))
            let reference = try fixtures.image(name)
            XCTAssertEqual([decoded.width, decoded.height], [reference.width, reference.height], name)
            XCTAssertLessThanOrEqual(meanAbsoluteDifference(decoded, reference), 1.0, name)
        }
    }

    func testCMYKAndGreyJPEGsConvertToRGBLikePIL() throws {
        let fixtures = try ReferenceFixtures.load()
        for name in ["jpeg_cmyk", "jpeg_grey"] {
            let decoded = try ImageDecoder.decodeFile(atPath: fixtures.path(name + ".jpg"))
            XCTAssertLessThanOrEqual(meanAbsoluteDifference(decoded, try fixtures.image(name)), 1.0, name)
        }
    }

    func testDCTScalingDecodesAtTheSmallestAllowedScale() throws {
        let path = ReferenceFixtures.photos + "/rocket.jpg"  // 640×427
        let full = try ImageDecoder.decodeFile(atPath: path)
        XCTAssertEqual([full.width, full.height], [640, 427])
        let half = try ImageDecoder.decodeFile(atPath: path, minimumShorterSide: 200)
        XCTAssertEqual([half.width, half.height], [320, 214])
        let quarter = try ImageDecoder.decodeFile(atPath: path, minimumShorterSide: 100)
        XCTAssertEqual([quarter.width, quarter.height], [160, 107])
        let eighth = try ImageDecoder.decodeFile(atPath: path, minimumShorterSide: 10)
        XCTAssertEqual([eighth.width, eighth.height], [80, 54])
        let unscaled = try ImageDecoder.decodeFile(atPath: path, minimumShorterSide: 300)
        XCTAssertEqual([unscaled.width, unscaled.height], [640, 427])
        // Reduced decoding is an approximation of decoding fully and resizing: close, not identical.
        var random = SeededRandom(seed: 0)
        let viaHalf = try Resize(shorterSide: 200).apply(half, random: &random)
        let viaFull = try Resize(shorterSide: 200).apply(full, random: &random)
        let difference = meanAbsoluteDifference(viaHalf, viaFull)
        XCTAssertLessThan(difference, 2.0)
        XCTAssertGreaterThan(difference, 0)
        print("DCT 1/2 decode + resize vs full decode + resize: mean abs difference \(difference) grey levels")
    }

    func testOrientationParserIsBoundsChecked() {
        // Big-endian TIFF with one orientation entry = 6.
        let valid: [UInt8] = [0x4D, 0x4D, 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0]
        XCTAssertEqual(ExifOrientation.parseTIFF(valid), 6)
        for length in 0..<valid.count - 2 { XCTAssertNil(ExifOrientation.parseTIFF(Array(valid.prefix(length)))) }
        var hugeCount = valid
        hugeCount[8] = 0xFF  // claims 65,281 entries, only one present, and it is not the orientation
        hugeCount[11] = 0x13
        XCTAssertNil(ExifOrientation.parseTIFF(hugeCount))
        var outOfRange = valid
        outOfRange[19] = 9
        XCTAssertNil(ExifOrientation.parseTIFF(outOfRange))
    }
}
