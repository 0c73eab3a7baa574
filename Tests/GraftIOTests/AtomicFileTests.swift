import Foundation
import XCTest
@testable import GraftIO

/// Atomic writes replace a file completely or not at all.
final class AtomicFileTests: XCTestCase {
    private struct InjectedFailure: Error {}

    private func contents(of directory: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
    }

    func testWriteCreatesAndReplaces() throws {
        let directory = try TestSupport.temporaryDirectory()
        let target = directory.appendingPathComponent("best.safetensors")
        try AtomicFile.write(Array("first".utf8), to: target)
        XCTAssertEqual(try String(contentsOf: target, encoding: .utf8), "first")
        try AtomicFile.write(Data("second, longer".utf8), to: target)
        XCTAssertEqual(try String(contentsOf: target, encoding: .utf8), "second, longer")
        XCTAssertEqual(try contents(of: directory), ["best.safetensors"])
    }

    func testFailureMidwayLeavesThePreviousFileAndNoTemporaryFile() throws {
        let directory = try TestSupport.temporaryDirectory()
        let target = directory.appendingPathComponent("best.pth")
        try AtomicFile.write(Array("previous checkpoint".utf8), to: target)
        XCTAssertThrowsError(try AtomicFile.write(to: target) { sink in
            try sink.write([UInt8](repeating: 0x41, count: 100_000))
            throw InjectedFailure()
        }) { error in
            XCTAssertTrue(error is InjectedFailure)
        }
        XCTAssertEqual(try String(contentsOf: target, encoding: .utf8), "previous checkpoint")
        XCTAssertEqual(try contents(of: directory), ["best.pth"])
    }

    func testMissingDirectoryNamesThePath() throws {
        let target = try TestSupport.temporaryDirectory().appendingPathComponent("no/such/dir/file")
        XCTAssertThrowsError(try AtomicFile.write([1, 2, 3], to: target)) { error in
            guard case .fileSystem(let operation, let path, _)? = error as? GraftIOError else { return XCTFail("\(error)") }
            XCTAssertEqual(operation, "create temporary file")
            XCTAssertTrue(path.contains("/no/such/dir/.file.tmp-"), path)
        }
    }
}
