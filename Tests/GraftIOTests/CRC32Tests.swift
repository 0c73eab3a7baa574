import XCTest
@testable import GraftIO

/// Zip checksums come from zlib's `crc32`.
final class CRC32Tests: XCTestCase {
    func testStandardCheckValues() {
        XCTAssertEqual(CRC32.checksum(Array("123456789".utf8)), 0xCBF4_3926, "the CRC-32/ISO-HDLC check value")
        XCTAssertEqual(CRC32.checksum([UInt8]()), 0)
        XCTAssertEqual(CRC32.checksum(Array("The quick brown fox jumps over the lazy dog".utf8)), 0x414F_A339)
    }

    func testNonContiguousBytesMatchContiguousOnes() {
        let bytes = (0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 7919) }
        XCTAssertEqual(CRC32.checksum(bytes.lazy.map { $0 }), CRC32.checksum(bytes))
        XCTAssertEqual(CRC32.checksum(bytes[100..<9_000]), CRC32.checksum(Array(bytes[100..<9_000])))
    }
}
