import GraftNN
import GraftTensor
import XCTest

/// `MultiheadAttention` (and every `Linear`) projects with oneDNN's inner product when no gradient can flow and with the
/// BLAS product otherwise; both must give the same attention (the training form is checked against torchvision in
/// training mode, the inference form in evaluation: `VisionTransformerTests`).
final class MultiheadAttentionTests: XCTestCase {
    func testInferenceKernelsEqualTheTrainingForm() throws {
        Engine.manualSeed(7)
        let attention = try MultiheadAttention(embedDim: 48, heads: 4)
        try withNoGrad {
            try attention.inProjBias.normal_(mean: 0, std: 0.5)
            try attention.outProj.bias?.normal_(mean: 0, std: 0.5)
        }
        let input = try Tensor.randn([3, 11, 48])
        let inference = try withNoGrad { try attention(input) }
        let composed = try attention(input)
        XCTAssertFalse(inference.requiresGrad)
        XCTAssertTrue(composed.requiresGrad, "with trainable weights and gradients on, the differentiable form runs")
        let error = try maxAbsDifference(inference, composed) / composed.abs().max().item()
        XCTAssertLessThan(error, 1e-5)

        try attention.freeze()
        let frozen = try attention(input)
        XCTAssertFalse(frozen.requiresGrad)
        XCTAssertLessThan(try maxAbsDifference(frozen, composed) / composed.abs().max().item(), 1e-5)
    }
}

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
