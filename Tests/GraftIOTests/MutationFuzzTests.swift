import Foundation
import GraftTestSupport
import XCTest
@testable import GraftIO

/// 10,000 deterministic random mutations of valid files: each must parse or throw a GraftIOError — never crash or hang.
final class MutationFuzzTests: XCTestCase {
    private static let variantsPerInput = 2_500
    /// Longest one input may take to parse or be refused; far above the ~0.1 ms a variant takes, far below a hang.
    private static let perInputLimit = 2.0

    private func fixture(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: TestSupport.fixtures.appendingPathComponent(name)))
    }

    func testMutatedZipFiles() throws {
        try fuzz(try fixture("state_zip.pth"), seed: 1)
    }

    func testMutatedLegacyFiles() throws {
        try fuzz(try fixture("state_legacy.pth"), seed: 2)
    }

    func testMutatedSafetensorsFiles() throws {
        try fuzz(try fixture("python.safetensors"), seed: 3)
    }

    /// Mutates only data.pkl and re-zips it with valid checksums, so the unpickler sees every variant.
    func testMutatedPicklesInsideValidZips() throws {
        let entries = try CraftedFiles.zipEntries(try fixture("state_zip.pth"))
        let pickle = try XCTUnwrap(entries.first { $0.name.hasSuffix("/data.pkl") }).data
        let storages = entries.compactMap { entry -> (key: String, bytes: [UInt8])? in
            guard let range = entry.name.range(of: "/data/") else { return nil }
            return (String(entry.name[range.upperBound...]), entry.data)
        }
        try fuzz(pickle, seed: 4) { try CraftedFiles.zipCheckpoint(pickle: $0, storages: storages) }
    }

    private func fuzz(_ original: [UInt8], seed: UInt64, wrap: ([UInt8]) throws -> [UInt8] = { $0 }, file: StaticString = #filePath, line: UInt = #line) throws {
        var generator = SeededGenerator(seed: seed)
        var parsed = 0, refused = 0
        for _ in 0..<Self.variantsPerInput {
            var bytes = original
            for _ in 0..<Int.random(in: 1...2, using: &generator) { mutate(&bytes, using: &generator) }
            let input = try wrap(bytes)
            let started = DispatchTime.now().uptimeNanoseconds
            do {
                _ = try CheckpointReader.readCheckpoint(bytes: input)
                parsed += 1
            } catch is GraftIOError {
                refused += 1
            } catch {
                XCTFail("unexpected error type \(type(of: error)): \(error)", file: file, line: line)
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
            XCTAssertLessThan(seconds, Self.perInputLimit, "a \(input.count)-byte variant took \(seconds) s", file: file, line: line)
        }
        // Both outcomes must occur, or the mutations are not exercising the reader.
        XCTAssertGreaterThan(parsed, 0, file: file, line: line)
        XCTAssertGreaterThan(refused, Self.variantsPerInput / 4, file: file, line: line)
    }

    private func mutate(_ bytes: inout [UInt8], using generator: inout SeededGenerator) {
        guard !bytes.isEmpty else { return }
        let position = Int.random(in: 0..<bytes.count, using: &generator)
        switch Int.random(in: 0..<5, using: &generator) {
        case 0: // byte flips
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            }
        case 1: // truncation
            bytes.removeSubrange(position...)
        case 2: // insertion
            let inserted = (0..<Int.random(in: 1...16, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            bytes.insert(contentsOf: inserted, at: position)
        case 3: // length-field corruption, biased towards headers at the start and the zip end record
            let width = [1, 2, 4, 8].randomElement(using: &generator) ?? 4
            let anchor = [position, Int.random(in: 0..<min(64, bytes.count), using: &generator), max(0, bytes.count - 22 + Int.random(in: 0..<22, using: &generator))]
                .randomElement(using: &generator) ?? position
            let interesting: [UInt64] = [0, 1, 0x7F, 0x80, 0xFF, 0xFFFF, 0x7FFF_FFFF, 0xFFFF_FFFF, UInt64.max, UInt64(bytes.count), UInt64(bytes.count) + 1,
                                         UInt64.random(in: 0...UInt64.max, using: &generator)]
            let value = interesting.randomElement(using: &generator) ?? 0
            for index in 0..<width where anchor + index < bytes.count {
                bytes[anchor + index] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(index)))
            }
        default: // duplicate a chunk somewhere else
            let length = Int.random(in: 1...min(32, bytes.count - position), using: &generator)
            let chunk = Array(bytes[position..<(position + length)])
            bytes.insert(contentsOf: chunk, at: Int.random(in: 0...bytes.count, using: &generator))
        }
    }
}
