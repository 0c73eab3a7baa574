import Foundation
import XCTest
@testable import GraftIO

/// Truncated and corrupted zip, legacy and safetensors files give clear thrown errors.
final class MalformedInputTests: XCTestCase {
    private func fixture(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: TestSupport.fixtures.appendingPathComponent(name)))
    }

    private func underlyingError(_ bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) -> GraftIOError? {
        do {
            _ = try CheckpointReader.readCheckpoint(bytes: bytes)
            XCTFail("expected an error", file: file, line: line)
            return nil
        } catch let error as GraftIOError {
            return error.underlying
        } catch {
            XCTFail("not a GraftIOError: \(error)", file: file, line: line)
            return nil
        }
    }

    func testEveryTruncationOfEachFormatThrows() throws {
        for name in ["state_zip.pth", "state_legacy.pth", "python.safetensors"] {
            let bytes = try fixture(name)
            for length in stride(from: 0, to: bytes.count, by: 7) {
                XCTAssertNotNil(underlyingError(Array(bytes[..<length])), "\(name) cut at \(length)")
            }
        }
    }

    func testTruncatedLegacyStorageNamesTheStorage() throws {
        let bytes = try fixture("state_legacy.pth")
        guard case .truncated(let context, _, let needed)? = underlyingError(Array(bytes.dropLast(3))) else {
            return XCTFail("expected a truncation error")
        }
        XCTAssertTrue(context.contains("legacy storage"), context)
        XCTAssertEqual(needed, 3)
    }

    func testCorruptedZipDataFailsItsChecksum() throws {
        var bytes = try fixture("state_zip.pth")
        let entries = try ZipArchiveReader(bytes: bytes).entries
        let storage = try XCTUnwrap(entries.first { $0.name.hasSuffix("data/0") })
        bytes[storage.dataRange.lowerBound] ^= 0xFF
        guard case .malformedZip(let reason)? = underlyingError(bytes) else { return XCTFail("expected a zip error") }
        XCTAssertTrue(reason.contains("CRC-32") && reason.contains("data/0"), reason)
    }

    func testCompressedEntryIsRefusedByName() throws {
        var bytes = try fixture("state_zip.pth")
        // Set the method of every central-directory entry to 8 (deflate).
        var offset = 0
        while offset + 4 <= bytes.count {
            if bytes[offset..<offset + 4].elementsEqual([0x50, 0x4B, 0x01, 0x02]) { bytes[offset + 10] = 8 }
            offset += 1
        }
        guard case .compressedZipEntry(let name, let method)? = underlyingError(bytes) else { return XCTFail("expected a compression error") }
        XCTAssertTrue(name.hasSuffix("data.pkl"))
        XCTAssertEqual(method, 8)
    }

    func testZip64EndRecordsAreParsed() throws {
        let bytes = CraftedFiles.convertingToZip64(try fixture("state_zip.pth"))
        assertMatches(try CheckpointReader.read(contentsOf: try write(bytes)), try XCTUnwrap(ExpectedTensor.load()["state_zip.pth"]))
    }

    func testTensorViewOutsideItsStorageIsRefused() throws {
        // _rebuild_tensor_v2(storage of 2 floats, offset 1, size (4,), stride (1,)) reaches past the storage.
        let pickle = CraftedFiles.singleTensorPickle(name: "w", size: 4) { storage in
            storage.string("0")
            storage.string("cpu")
            storage.int(2)
        }
        let file = try CraftedFiles.zipCheckpoint(pickle: pickle, storages: [("0", [UInt8](repeating: 0, count: 8))])
        guard case .invalidTensor(_, let reason)? = underlyingError(file) else { return XCTFail("expected a tensor error") }
        XCTAssertTrue(reason.contains("storage holds 2"), reason)
        let missing = try CraftedFiles.zipCheckpoint(pickle: pickle)
        guard case .missingRecord(let what)? = underlyingError(missing) else { return XCTFail("expected a missing storage") }
        XCTAssertTrue(what.contains("archive/data/0"), what)
    }

    func testCheckpointWithoutTensorsExplainsWhatItFound() throws {
        var pickle = PickleWriter()
        pickle.emptyOrderedDict()
        pickle.mark()
        pickle.string("epoch")
        pickle.int(3)
        pickle.setItems()
        pickle.stop()
        guard case .noStateDict(let reason)? = underlyingError(try CraftedFiles.zipCheckpoint(pickle: pickle.bytes)) else {
            return XCTFail("expected noStateDict")
        }
        XCTAssertTrue(reason.contains("'epoch'"), reason)
    }

    private func write(_ bytes: [UInt8]) throws -> URL {
        let url = try TestSupport.temporaryDirectory().appendingPathComponent("file.pth")
        try bytes.write(to: url)
        return url
    }
}
