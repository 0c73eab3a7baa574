import Foundation
import GraftTensor
import GraftTestSupport
import GraftTrain
import XCTest

/// `GradientClipping.clip` scales gradients and reports the norm as `torch.nn.utils.clip_grad_norm_` does, within 1e-6,
/// for a limit that clips and one that does not.
final class GradientClippingParityTests: XCTestCase {
    static let twin = """
    import json, sys, torch
    case = json.load(open(sys.argv[1]))
    results = []
    for max_norm in case["max_norms"]:
        params = [torch.zeros(s, requires_grad=True) for s in case["shapes"]]
        for p, g, s in zip(params, case["grads"], case["shapes"]):
            p.grad = torch.tensor(g, dtype=torch.float32).reshape(s)
        norm = torch.nn.utils.clip_grad_norm_(params, max_norm)
        results.append({"norm": norm.item(), "grads": [p.grad.flatten().tolist() for p in params]})
    print(json.dumps(results))
    """

    func testClippingMatchesTorch() throws {
        try ReferencePython.require(modules: ["torch"])
        Engine.manualSeed(5)
        let shapes = [[8, 3, 3, 3], [8], [10, 8]]
        let original = try shapes.map { try Tensor.randn($0) }
        let maxNorms = [0.5, 1000]
        let caseFile = FileManager.default.temporaryDirectory.appendingPathComponent("graft-clip-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: caseFile) }
        try JSONSerialization.data(withJSONObject: ["shapes": shapes, "max_norms": maxNorms, "grads": try original.map { try $0.floats() }] as [String: Any])
            .write(to: caseFile)
        let run = try ReferencePython.run(code: Self.twin, arguments: [caseFile.path])
        XCTAssertEqual(run.status, 0, run.errors)
        let results = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(try XCTUnwrap(run.output.split(separator: "\n").last).utf8)) as? [[String: Any]])
        XCTAssertEqual(results.count, maxNorms.count)
        for (maxNorm, torch) in zip(maxNorms, results) {
            let gradients = try original.map { try $0.clone() }
            let norm = try GradientClipping.clip(gradients, maxNorm: maxNorm)
            let torchNorm = try XCTUnwrap(torch["norm"] as? Double)
            XCTAssertEqual(norm, torchNorm, accuracy: 1e-6 * max(1, torchNorm), "max norm \(maxNorm)")
            for (index, (mine, theirs)) in zip(gradients, try XCTUnwrap(torch["grads"] as? [[Double]])).enumerated() {
                XCTAssertNil(Closeness(atol: 1e-6).mismatch(try mine.floats(), theirs), "max norm \(maxNorm), gradient \(index)")
            }
            let changed = try zip(gradients, original).contains { try !$0.0.allClose($0.1, rtol: 0, atol: 0) }
            XCTAssertEqual(changed, maxNorm < norm, "clipping acts exactly when the norm exceeds \(maxNorm) (norm \(norm))")
        }
    }
}
