import GraftNN
import GraftTensor
import XCTest

/// `Linear` in inference (oneDNN's inner product) against the BLAS product, on 2-D and 3-D inputs, with and without a
/// bias, and on a non-contiguous input.
final class InferenceLinearTests: XCTestCase {
    func testOneDNNInnerProductEqualsTheBLASProduct() throws {
        Engine.manualSeed(11)
        for hasBias in [true, false] {
            let layer = try Linear(96, 40, bias: hasBias)
            for input in [try Tensor.randn([7, 96]), try Tensor.randn([3, 5, 96]), try Tensor.randn([96, 6]).transpose(0, 1)] {
                let expected = try input.linear(weight: layer.weight, bias: layer.bias)
                let inference = try withNoGrad { try layer(input) }
                XCTAssertEqual(inference.shape, expected.shape)
                XCTAssertFalse(inference.requiresGrad)
                XCTAssertLessThan(try maxAbsDifference(inference, expected) / expected.abs().max().item(), 1e-5, "bias \(hasBias), \(input.shape)")
            }
        }
        let trained = try Linear(8, 2)
        XCTAssertTrue(try trained(Tensor.randn([4, 8])).requiresGrad, "with gradients on, the differentiable product runs")
    }
}
