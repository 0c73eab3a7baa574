import GraftNN
import GraftTensor
import XCTest

/// `MultiheadAttention` projects with oneDNN's inner product when the projections are large enough (as every `Linear`
/// does) and with the BLAS product when `Engine.withOneDNNLinear(false)`; both must give the same attention, in
/// inference, training and with frozen weights (the default path is checked against torchvision in both modes:
/// `VisionTransformerTests`).
final class MultiheadAttentionTests: XCTestCase {
    func testOneDNNProjectionsEqualTheBLASForm() throws {
        Engine.manualSeed(7)
        let attention = try MultiheadAttention(embedDim: 96, heads: 4)
        try withNoGrad {
            try attention.inProjBias.normal_(mean: 0, std: 0.5)
            try attention.outProj.bias?.normal_(mean: 0, std: 0.5)
        }
        let input = try Tensor.randn([3, 40, 96])  // packed projection: 120 × 96 × 288 = 3.3 M multiply-adds
        let inference = try withNoGrad { try attention(input) }
        let blas = try Engine.withOneDNNLinear(false) { try attention(input) }
        XCTAssertFalse(inference.requiresGrad)
        XCTAssertTrue(blas.requiresGrad, "with trainable weights and gradients on, gradients are recorded")
        let error = try maxAbsDifference(inference, blas) / blas.abs().max().item()
        XCTAssertLessThan(error, 1e-5)
        let trained = try attention(input)
        XCTAssertTrue(trained.requiresGrad)
        XCTAssertLessThan(try maxAbsDifference(trained, blas) / blas.abs().max().item(), 1e-5)

        try attention.freeze()
        let frozen = try attention(input)
        XCTAssertFalse(frozen.requiresGrad)
        XCTAssertLessThan(try maxAbsDifference(frozen, blas) / blas.abs().max().item(), 1e-5)
    }
}
