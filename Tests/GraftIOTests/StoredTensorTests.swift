import XCTest
@testable import GraftIO

/// The tensor value type, dtype tables and the ordered state dict.
final class StoredTensorTests: XCTestCase {
    func testHalfAndBFloat16Conversion() throws {
        let halves: [UInt16] = [0x3C00, 0xC000, 0x7BFF, 0x0001, 0x7C00, 0x8000]
        let halfBytes = halves.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let values = try StoredTensor(dtype: .float16, shape: [6], bytes: halfBytes).floats()
        XCTAssertEqual(values, [1, -2, 65504, Float(sign: .plus, exponent: -24, significand: 1), .infinity, -0.0])
        XCTAssertEqual(try StoredTensor(dtype: .bfloat16, shape: [2], bytes: [0x80, 0x3F, 0x20, 0xC1]).floats(), [1, -10])
        XCTAssertTrue(HalfPrecision.floatFromHalf(0x7E00).isNaN)
    }

    func testIntegerAndBoolConversion() throws {
        XCTAssertEqual(try StoredTensor(dtype: .int16, shape: [2], bytes: [0xFF, 0xFF, 0x02, 0x00]).floats(), [-1, 2])
        XCTAssertEqual(try StoredTensor(dtype: .int8, shape: [2], bytes: [0x80, 0x7F]).floats(), [-128, 127])
        XCTAssertEqual(try StoredTensor(dtype: .bool, shape: [2], bytes: [0, 1]).floats(), [0, 1])
        XCTAssertEqual(try StoredTensor(dtype: .int64, shape: [], bytes: [0xFE] + [UInt8](repeating: 0xFF, count: 7)).floats(), [-2])
    }

    func testFloatInitializerChecksShape() throws {
        let tensor = try StoredTensor(floats: [1.5, -2, 0.25, 8], shape: [2, 2])
        XCTAssertEqual(tensor.dtype, .float32)
        XCTAssertEqual(tensor.bytes.count, 16)
        XCTAssertEqual(try tensor.floats(), [1.5, -2, 0.25, 8])
        XCTAssertThrowsError(try StoredTensor(floats: [1, 2, 3], shape: [2, 2]))
        XCTAssertThrowsError(try StoredTensor(dtype: .float32, shape: [-1], bytes: []))
        XCTAssertThrowsError(try StoredTensor(dtype: .float32, shape: [Int.max, 2], bytes: []))
    }

    func testDTypeNamesRoundTrip() {
        for dtype in StoredDType.allCases {
            XCTAssertEqual(StoredDType(safetensorsName: dtype.safetensorsName), dtype)
            XCTAssertEqual(StoredDType(torchStorageName: dtype.torchStorageName), dtype)
        }
        XCTAssertNil(StoredDType(safetensorsName: "F8_E4M3"))
        XCTAssertEqual(StoredDType.bfloat16.elementSize, 2)
    }

    func testStateDictKeepsOrderAndLooksUpByName() throws {
        let one = try StoredTensor(floats: [1], shape: [1]), two = try StoredTensor(floats: [2], shape: [1])
        var weights = StateDict([(name: "module.b", tensor: one), (name: "module.a", tensor: two)])
        XCTAssertEqual(weights.names, ["module.b", "module.a"])
        weights["module.b"] = two
        XCTAssertEqual(weights.names, ["module.b", "module.a"])
        XCTAssertEqual(weights["module.b"], two)
        weights["module.c"] = one
        weights["module.b"] = nil
        XCTAssertEqual(weights.names, ["module.a", "module.c"])
        XCTAssertEqual(weights["module.c"], one)
        XCTAssertEqual(weights.strippingPrefix("module.").names, ["a", "c"])
    }
}
