import CZlib
import XCTest
@testable import GraftData

/// Multi-member gzip streams (`cat a.gz b.gz c.gz`) come back byte for byte; a cut-off member is an error.
final class GzipTests: XCTestCase {
    /// Four members of different lengths and contents, so a wrong member offset cannot land on a gzip header by chance.
    let parts: [[UInt8]] = [
        Array("first member".utf8),
        (0..<3000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 / 13) },
        Array(repeating: 0xAB, count: 40_000),
        Array("fourth".utf8),
    ]

    func testEveryConcatenatedMemberIsInflated() throws {
        let members = try parts.map(gzipMember)
        for count in 2...parts.count {
            let inflated = try Gzip.decompress(members.prefix(count).flatMap { $0 }, path: "joined.gz")
            let expected = parts.prefix(count).flatMap { $0 }
            XCTAssertTrue(inflated == expected, "\(count) members: \(inflated.count) bytes back, expected \(expected.count)")
        }
    }

    func testATruncatedMemberIsReportedAsTruncated() throws {
        let members = try parts.map(gzipMember)
        let third = members[2]
        for cut in [2, 11, third.count / 2, third.count - 3] {
            let bytes = members[0] + members[1] + third.prefix(cut)
            XCTAssertThrowsError(try Gzip.decompress(bytes, path: "cut.gz"), "third member cut to \(cut) bytes") { error in
                guard case DataError.invalidGzip(let path, let reason) = error else { return XCTFail("\(error)") }
                XCTAssertEqual(path, "cut.gz")
                XCTAssertTrue(reason.contains("truncated"), reason)
            }
        }
    }

    /// A zlib call that did not return what the test needs.
    private struct ZlibFailure: Error { let call: String, status: Int32 }

    /// One gzip member holding `bytes`, written by zlib.
    private func gzipMember(_ bytes: [UInt8]) throws -> [UInt8] {
        var stream = z_stream()
        let windowBitsWithGzipHeader: Int32 = 15 + 16
        let started = deflateInit2_(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, windowBitsWithGzipHeader, 8, Z_DEFAULT_STRATEGY,
                                    zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard started == Z_OK else { throw ZlibFailure(call: "deflateInit2", status: started) }
        defer { deflateEnd(&stream) }
        var input = bytes
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(bytes.count))))
        let status = input.withUnsafeMutableBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                stream.next_in = source.baseAddress
                stream.avail_in = UInt32(source.count)
                stream.next_out = target.baseAddress
                stream.avail_out = UInt32(target.count)
                return deflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END else { throw ZlibFailure(call: "deflate", status: status) }
        return Array(output.prefix(Int(stream.total_out)))
    }
}
