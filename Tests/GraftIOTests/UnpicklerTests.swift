import XCTest
@testable import GraftIO

/// Opcode-level behaviour of the restricted unpickler, including hostile structures.
final class UnpicklerTests: XCTestCase {
    private func unpickle(_ bytes: [UInt8]) throws -> PickleValue {
        var unpickler = Unpickler(bytes: bytes)
        let (graph, root, _) = try unpickler.load()
        return try graph.value(of: root, limits: PickleLimits()) { _ in throw GraftIOError.missingRecord("no tensors here") }
    }

    private func expectError(_ bytes: [UInt8], containing text: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try unpickle(bytes), file: file, line: line) { error in
            XCTAssertTrue(String(describing: error).contains(text), "\(error)", file: file, line: line)
        }
    }

    func testScalarsAndContainers() throws {
        // {'a': [1, -2, 70000, -1 (LONG1), 2**64 (LONG1 9 bytes)], 'b': (1.5, None, True, b'xy', 'é')}
        var bytes: [UInt8] = [0x80, 0x02, 0x7D, 0x28]
        bytes += CraftedFiles.shortUnicode("a") + [0x5D, 0x28, 0x4B, 1, 0x4A, 0xFE, 0xFF, 0xFF, 0xFF, 0x4A, 0x70, 0x11, 0x01, 0x00]
        bytes += [0x8A, 1, 0xFF, 0x8A, 9, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0x65]
        bytes += CraftedFiles.shortUnicode("b") + [0x28, 0x47, 0x3F, 0xF8, 0, 0, 0, 0, 0, 0, 0x4E, 0x88, 0x43, 2, 0x78, 0x79]
        bytes += CraftedFiles.shortUnicode("é") + [0x74, 0x75, 0x2E]
        let value = try unpickle(bytes)
        XCTAssertEqual(value["a"], .list([.int(1), .int(-2), .int(70000), .int(-1), .bigInt([0, 0, 0, 0, 0, 0, 0, 0, 1])]))
        XCTAssertEqual(value["b"], .tuple([.float(1.5), .none, .bool(true), .bytes([0x78, 0x79]), .string("é")]))
    }

    func testMemoSharesMutableContainers() throws {
        // l = []; memo[0] = l; d = {'x': l}; then l.append(5) through BINGET 0 → d['x'] sees [5].
        var bytes: [UInt8] = [0x80, 0x02, 0x5D, 0x71, 0x00, 0x30, 0x7D]
        bytes += CraftedFiles.shortUnicode("x") + [0x68, 0x00, 0x73]     // SETITEM d['x'] = l
        bytes += [0x68, 0x00, 0x4B, 5, 0x61, 0x30, 0x2E]                   // l.append(5); POP
        XCTAssertEqual(try unpickle(bytes)["x"], .list([.int(5)]))
    }

    func testDuplicateDictKeysKeepTheLastValue() throws {
        var bytes: [UInt8] = [0x80, 0x02, 0x7D, 0x28]
        bytes += CraftedFiles.shortUnicode("k") + [0x4B, 1] + CraftedFiles.shortUnicode("k") + [0x4B, 2, 0x75, 0x2E]
        XCTAssertEqual(try unpickle(bytes), .dict([PickleEntry(key: .string("k"), value: .int(2))]))
    }

    func testSelfReferenceHitsTheDepthLimitInsteadOfRecursingForever() {
        // l = []; l.append(l)
        expectError([0x80, 0x02, 0x5D, 0x71, 0x00, 0x68, 0x00, 0x61, 0x2E], containing: "refers to itself")
    }

    func testDeepNestingIsLimited() {
        let bytes: [UInt8] = [0x80, 0x02, 0x4E] + [UInt8](repeating: 0x85, count: 200_000) + [0x2E]
        expectError(bytes, containing: "deeper than")
    }

    func testExponentialSharingIsLimited() {
        // t = (None,); 40 times: t = (t, t) — 2^40 nodes once expanded.
        var bytes: [UInt8] = [0x80, 0x02, 0x4E, 0x85]
        for _ in 0..<40 { bytes += [0x32, 0x86] }
        bytes.append(0x2E)
        expectError(bytes, containing: "expands to more than")
    }

    func testStructuralErrors() {
        expectError([0x80, 0x02, 0x2E], containing: "stack underflow")
        expectError([0x80, 0x02, 0x74, 0x2E], containing: "no MARK")
        expectError([0x80, 0x02, 0x68, 0x07, 0x2E], containing: "memo key 7")
        expectError([0x80, 0x02, 0x4B, 0, 0x4B, 1, 0x4B, 2, 0x73, 0x2E], containing: "not a dict")
        expectError([0x80, 0x02, 0x49, 0x2E], containing: "opcode 0x49")
        expectError([0x80, 0x02, 0x58, 0xFF, 0xFF, 0xFF, 0x7F, 0x61], containing: "unexpected end of data")
        expectError([0x80, 0x02, 0x8D] + [UInt8](repeating: 0xFF, count: 8), containing: "unexpected end of data")
        expectError([0x80, 0x02, 0x8C, 2, 0xC3, 0x28, 0x2E], containing: "UTF-8")
        expectError([0x80, 0x02, 0x4E], containing: "unexpected end of data")
    }

    func testLatin1BytesFromProtocol2() throws {
        // _codecs.encode('\u{ff}A', 'latin1') is how protocol 2 pickles bytes.
        var bytes: [UInt8] = [0x80, 0x02, 0x63] + Array("_codecs\nencode\n".utf8)
        bytes += CraftedFiles.shortUnicode("\u{ff}A") + CraftedFiles.shortUnicode("latin1") + [0x86, 0x52, 0x2E]
        XCTAssertEqual(try unpickle(bytes), .bytes([0xFF, 0x41]))
    }
}
