import Foundation
import GraftTensor
import XCTest

/// `Engine.recordProfile` writes libtorch's operator record as a Chrome trace that names the operators the body ran.
final class ProfileTests: XCTestCase {
    func testProfileNamesTheOperatorsRunAndRefusesNesting() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("graft-profile-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let a = try Tensor.randn([64, 32]), b = try Tensor.randn([32, 16])
        let product = try Engine.recordProfile(to: path) {
            XCTAssertThrowsError(try Engine.recordProfile(to: path + ".nested") {}) {
                XCTAssertTrue("\($0)".contains("already being recorded"), "\($0)")
            }
            return try a.matmul(b).softmax(dim: 1)
        }
        XCTAssertEqual(product.shape, [64, 16])
        let trace = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path)))
        let events = try XCTUnwrap((trace as? [[String: Any]]) ?? ((trace as? [String: Any])?["traceEvents"] as? [[String: Any]]))
        let names = Set(events.compactMap { $0["name"] as? String })
        XCTAssertTrue(names.isSuperset(of: ["aten::matmul", "aten::mm", "aten::softmax"]), "\(names.sorted())")
        XCTAssertTrue(events.allSatisfy { ($0["dur"] as? Double ?? 0) >= 0 })
        XCTAssertFalse(FileManager.default.fileExists(atPath: path + ".nested"))
    }
}
