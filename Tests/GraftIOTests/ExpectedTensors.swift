import Foundation
import XCTest
@testable import GraftIO

/// The reference description of a fixture tensor written by scripts/fixtures/make_io_fixtures.py.
struct ExpectedTensor: Decodable {
    var name: String
    var dtype: String
    var shape: [Int]
    var values: [Double]

    /// All fixtures' expected tensors, keyed by fixture file name.
    static func load() throws -> [String: [ExpectedTensor]] {
        let data = try Data(contentsOf: TestSupport.fixtures.appendingPathComponent("expected.json"))
        return try JSONDecoder().decode([String: [ExpectedTensor]].self, from: data)
    }
}

/// Exact decoding of stored bytes to Double (float64 and int64 stay exact, unlike `floats()`).
func exactValues(_ tensor: StoredTensor) -> [Double] {
    let size = tensor.dtype.elementSize
    return stride(from: 0, to: tensor.bytes.count, by: size).map { offset in
        var bits: UInt64 = 0
        for index in 0..<size { bits |= UInt64(tensor.bytes[offset + index]) << (8 * UInt64(index)) }
        switch tensor.dtype {
        case .float64: return Double(bitPattern: bits)
        case .int64: return Double(Int64(bitPattern: bits))
        case .int32: return Double(Int32(truncatingIfNeeded: bits))
        case .int16: return Double(Int16(truncatingIfNeeded: bits))
        case .int8: return Double(Int8(truncatingIfNeeded: bits))
        case .float32: return Double(Float(bitPattern: UInt32(truncatingIfNeeded: bits)))
        case .float16: return Double(HalfPrecision.floatFromHalf(UInt16(truncatingIfNeeded: bits)))
        case .bfloat16: return Double(HalfPrecision.floatFromBFloat16(UInt16(truncatingIfNeeded: bits)))
        case .uint8, .bool: return Double(bits)
        }
    }
}

/// Asserts that `stateDict` holds exactly `expected`, in order, with identical dtype, shape and values.
func assertMatches(_ stateDict: StateDict, _ expected: [ExpectedTensor], file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(stateDict.names, expected.map(\.name), file: file, line: line)
    for reference in expected {
        guard let tensor = stateDict[reference.name] else {
            XCTFail("missing \(reference.name)", file: file, line: line)
            continue
        }
        XCTAssertEqual(tensor.dtype.rawValue, reference.dtype, reference.name, file: file, line: line)
        XCTAssertEqual(tensor.shape, reference.shape, reference.name, file: file, line: line)
        XCTAssertEqual(exactValues(tensor), reference.values, reference.name, file: file, line: line)
    }
}
