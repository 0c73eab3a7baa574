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
