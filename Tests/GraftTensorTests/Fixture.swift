import Foundation
import GraftTensor
import GraftTestSupport
import XCTest

/// One tensor as written by scripts/fixtures/make_tensor_fixtures.py.
struct FixtureTensor: Decodable {
    let dtype: String
    let shape: [Int]
    let data: [Double]

    func tensor() throws -> Tensor {
        switch dtype {
        case "int64": return try Tensor(data.map { Int64($0) }, shape: shape)
        case "bool": return try Tensor(data.map { $0 != 0 }, shape: shape)
        default: return try Tensor(data.map { Float($0) }, shape: shape)
        }
    }
}

/// One op case: inputs, the outputs python3-torch produced, and optionally gradients.
struct FixtureCase: Decodable {
    let name: String
    let inputs: [String: FixtureTensor]
    let outputs: [FixtureTensor]
    let upstream: FixtureTensor?
    let grads: [String: FixtureTensor]?
}

struct FixtureFile: Decodable {
    let torch: String
    let cases: [FixtureCase]
}

enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func ops() throws -> FixtureFile {
        let data = try Data(contentsOf: directory.appendingPathComponent("ops.json"))
        return try JSONDecoder().decode(FixtureFile.self, from: data)
    }
}

/// Asserts that `actual` has the expected shape and finite values within `atol + rtol·|expected|` elementwise.
func assertClose(
    _ actual: Tensor, _ expected: FixtureTensor, rtol: Double = 1e-5, atol: Double = 1e-5, _ label: String,
    file: StaticString = #filePath, line: UInt = #line
) throws {
    XCTAssertEqual(actual.shape, expected.shape, "\(label): shape", file: file, line: line)
    guard actual.shape == expected.shape else { return }
    let values = try actual.to(.float64).scalars(as: Double.self)
    if let mismatch = Closeness(atol: atol, rtol: rtol).mismatch(values, expected.data) {
        XCTFail("\(label): \(mismatch)", file: file, line: line)
    }
}
