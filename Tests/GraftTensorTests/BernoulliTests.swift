import Foundation
import GraftTensor
import GraftTestSupport
import XCTest

/// `bernoulli_` against python3-torch: after the same seed, the same draw as `torch.empty(…).bernoulli_(p)` (what
/// torchvision's stochastic depth samples), in a run of several draws.
final class BernoulliTests: XCTestCase {
    func testDrawsEqualTorchsAfterTheSameSeed() throws {
        try ReferencePython.require(modules: ["torch"])
        let script = """
        import json, torch
        torch.manual_seed(7)
        draws = [torch.empty(n, 1, 1, 1).bernoulli_(p).flatten().tolist() for n, p in [(2, 0.9), (5, 0.5), (300, 0.3)]]
        print(json.dumps(draws))
        """
        let run = try ReferencePython.run(code: script)
        XCTAssertEqual(run.status, 0, run.errors)
        let expected = try JSONDecoder().decode([[Float]].self, from: Data(run.output.utf8))

        Engine.manualSeed(7)
        let draws = try [(2, 0.9), (5, 0.5), (300, 0.3)].map { n, p in
            let t = try Tensor.empty([n, 1, 1, 1])
            try t.bernoulli_(p)
            return try t.flatten(start: 0).scalars(as: Float.self)
        }
        XCTAssertEqual(draws, expected)
        XCTAssertTrue(Set(draws[2]) == [0, 1], "\(draws[2])")
    }
}
