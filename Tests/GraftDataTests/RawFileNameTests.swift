import Foundation
import GraftTestSupport
import XCTest
@testable import GraftData

/// File names that are not valid UTF-8 (Linux allows any bytes) are listed, read and decoded, and shown escaped.
final class RawFileNameTests: XCTestCase {
    func testNamesRoundTripTheirBytes() {
        let raw: [UInt8] = Array("caf".utf8) + [0xE9] + Array(".png".utf8) + [0xC3, 0xA9, 0xFF]
        let name = RawFileName.string(fromBytes: raw)
        XCTAssertEqual(RawFileName.bytes(of: name), raw)
        XCTAssertEqual(RawFileName.displayed(name), "caf\\xE9.pngé\\xFF", "valid UTF-8 stays, stray bytes are escaped")
        XCTAssertEqual(RawFileName.string(fromBytes: Array("plain é.png".utf8)), "plain é.png")
    }

    func testAnImageFolderWithALatin1NameLoadsAndTheCheckShowsItEscaped() throws {
        let photo = ReferenceFixtures.photos + "/chelsea.png"
        try Prerequisite.requireFile(photo, "Debian python3-skimage")
        let root = try makeTemporaryDirectory(self)
        for name in ["cats", "dogs"] { try FileManager.default.createDirectory(atPath: root + "/" + name, withIntermediateDirectories: true) }
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: photo)))
        let latin1 = RawFileName.string(fromBytes: Array("\(root)/cats/caf".utf8) + [0xE9] + Array(".png".utf8))
        let descriptor = RawFileName.withCString(latin1) { open($0, O_WRONLY | O_CREAT | O_EXCL, 0o644) }
        XCTAssertGreaterThanOrEqual(descriptor, 0)
        XCTAssertEqual(bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }, bytes.count)
        close(descriptor)
        try Data(bytes).write(to: URL(fileURLWithPath: root + "/dogs/rex.png"))

        let folder = try ImageFolder(root: root)
        XCTAssertEqual(folder.samples.count, 2)
        XCTAssertEqual(RawFileName.bytes(of: folder.samples[0].path), RawFileName.bytes(of: latin1))
        let image = try ImageDecoder.decodeFile(atPath: folder.samples[0].path)
        XCTAssertEqual([image.width, image.height], [451, 300])

        let report = DatasetCheck.run(folder, source: root)
        XCTAssertEqual(report.unreadable.map(\.path), [], "every file is readable")
        XCTAssertTrue(report.text.contains("caf\\xE9.png = ") || report.text.contains("= \(root)/cats/caf\\xE9.png"),
                      "the duplicate pair is shown with the escaped name:\n\(report.text)")
    }
}
