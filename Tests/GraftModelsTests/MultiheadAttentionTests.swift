import GraftNN
import GraftTensor
import XCTest

/// `MultiheadAttention` takes libtorch's fused kernel when no gradient can flow and the composed form otherwise; both
/// must give the same attention (the composed form is the one checked against torchvision in training mode, the fused
/// one in evaluation: `VisionTransformerTests`).
final class MultiheadAttentionTests: XCTestCase {
    func testFusedInferenceEqualsTheComposedForm() throws {
        Engine.manualSeed(7)
        let attention = try MultiheadAttention(embedDim: 48, heads: 4)
        try withNoGrad {
            try attention.inProjBias.normal_(mean: 0, std: 0.5)
            try attention.outProj.bias?.normal_(mean: 0, std: 0.5)
        }
        let input = try Tensor.randn([3, 11, 48])
        let fused = try withNoGrad { try attention(input) }
        let composed = try attention(input)
        XCTAssertFalse(fused.requiresGrad)
        XCTAssertTrue(composed.requiresGrad, "with trainable weights and gradients on, the composed (differentiable) form runs")
        let error = try maxAbsDifference(fused, composed) / composed.abs().max().item()
        XCTAssertLessThan(error, 1e-5)

        try attention.freeze()
        let frozen = try attention(input)
        XCTAssertFalse(frozen.requiresGrad)
        XCTAssertLessThan(try maxAbsDifference(frozen, composed) / composed.abs().max().item(), 1e-5)
    }
}
