import Foundation
import GraftTestSupport
import XCTest
@testable import GraftData

/// Images that declare enormous sizes in a few KiB are refused before any large allocation; a large legal JPEG
/// decodes into bounded memory through DCT scaling.
final class DecompressionBombTests: XCTestCase {
    /// Peak resident memory of this process so far, in MiB.
    func peakMiB() throws -> Double {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        let line = try XCTUnwrap(status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") })
        return try XCTUnwrap(Double(line.split(separator: " ", omittingEmptySubsequences: true)[1])) / 1024
    }

    /// Files written by /usr/bin/python3: a PNG whose header says 40,000 × 40,000, a real small JPEG with its frame
    /// header patched to 40,000 × 40,000, and a plain 12,000 × 9,000 JPEG.
    func makeFiles() throws -> (png: [UInt8], jpeg: [UInt8], large: [UInt8]) {
        let directory = try PackagePaths.temporaryDirectory(for: self, prefix: "graft-bombs")
        let script = """
        import io, struct, sys, zlib
        from PIL import Image
        out = sys.argv[1]
        def chunk(kind, data):
            return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff)
        header = struct.pack(">IIBBBBB", 40000, 40000, 8, 2, 0, 0, 0)
        rows = zlib.compress(b"\\x00" * (1 + 3 * 40000) * 4)
        open(out + "/bomb.png", "wb").write(b"\\x89PNG\\r\\n\\x1a\\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b""))
        small = io.BytesIO()
        Image.new("RGB", (16, 16), (90, 120, 30)).save(small, "JPEG")
        data = bytearray(small.getvalue())
        sof = data.index(b"\\xff\\xc0")
        data[sof + 5:sof + 9] = struct.pack(">HH", 40000, 40000)
        open(out + "/bomb.jpg", "wb").write(bytes(data))
        Image.new("RGB", (12000, 9000), (200, 40, 90)).save(out + "/large.jpg", "JPEG", quality=90)
        """
        let run = try ReferencePython.run(code: script, arguments: [directory.path])
        guard run.status == 0 else { throw Prerequisite.missing("/usr/bin/python3 with PIL could not write the test images: \(run.errors)") }
        func bytes(_ name: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: directory.appendingPathComponent(name))) }
        return (try bytes("bomb.png"), try bytes("bomb.jpg"), try bytes("large.jpg"))
    }

    func testBombsAreRefusedAndALargeJPEGDecodesScaledDown() throws {
        let files = try makeFiles()
        XCTAssertLessThan(files.png.count, 16 << 10, "the PNG bomb is small")
        XCTAssertLessThan(files.jpeg.count, 4 << 10, "the JPEG bomb is small")
        let before = try peakMiB()
        for (name, bytes) in [("bomb.png", files.png), ("bomb.jpg", files.jpeg)] {
            XCTAssertThrowsError(try ImageDecoder.decode(bytes, path: name)) { error in
                XCTAssertTrue("\(error)".contains("40000"), "\(name): \(error)")
                XCTAssertTrue("\(error)".contains(name), "\(error)")
            }
        }
        XCTAssertLessThan(try peakMiB() - before, 64, "refused before allocating the 4.8 GB the headers ask for")

        let image = try ImageDecoder.decode(files.large, path: "large.jpg", minimumShorterSide: 224)
        XCTAssertEqual([image.width, image.height], [1500, 1125], "decoded at 1/8 scale by the DCT")
        XCTAssertEqual(image.pixels[0..<3].map(Int.init).map { $0 / 8 }, [200 / 8, 40 / 8, 90 / 8])
        XCTAssertLessThan(try peakMiB() - before, 200, "bounded memory: a full decode would need 324 MB")
    }
}
