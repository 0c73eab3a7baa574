import GraftNN
import GraftTensor
import XCTest

/// `Embedding` (with PyTorch's `padding_idx` semantics) and `LayerNorm`.
final class TextLayerTests: XCTestCase {
    func testEmbeddingPicksRowsAndThePaddingRowStaysZeroWithoutGradient() throws {
        Engine.manualSeed(3)
        let table = try Embedding(6, 4, paddingIndex: 0)
        XCTAssertEqual(try table.weight.select(dim: 0, index: 0).abs().max().item(), 0, "the padding row starts at zero")
        XCTAssertGreaterThan(try table.weight.select(dim: 0, index: 1).abs().max().item(), 0)
        let indices = try Tensor([Int64(2), 0, 2, 5], shape: [2, 2])
        let rows = try table(indices)
        XCTAssertEqual(rows.shape, [2, 2, 4])
        XCTAssertEqual(try rows.select(dim: 0, index: 1).select(dim: 0, index: 1).floats(), try table.weight.select(dim: 0, index: 5).floats())
        try rows.sum().backward()
        let grad = try XCTUnwrap(table.weight.grad)
        XCTAssertEqual(try grad.select(dim: 0, index: 0).floats(), [0, 0, 0, 0], "padding_idx receives no gradient")
        XCTAssertEqual(try grad.select(dim: 0, index: 2).floats(), [2, 2, 2, 2], "row 2 is read twice")
        XCTAssertEqual(table.description, "Embedding(6, 4, padding_idx=0)")
        XCTAssertThrowsError(try Embedding(6, 4, paddingIndex: 6))
    }

    func testLayerNormNormalisesTheLastDimension() throws {
        let norm = try LayerNorm(5, eps: 1e-12)
        let x = try Tensor([Float(1), 2, 3, 4, 10, -1, -1, -1, -1, 3], shape: [2, 5])
        let y = try norm(x)
        XCTAssertLessThan(try y.mean(dims: [1]).abs().max().item(), 1e-6)
        XCTAssertLessThan(try (y.variance(dims: [1], unbiased: false) - 1).abs().max().item(), 1e-5)
        XCTAssertEqual(norm.stateDict().map(\.0), ["weight", "bias"])
        XCTAssertEqual(norm.description, "LayerNorm((5,), eps=1e-12, elementwise_affine=True)")
        XCTAssertThrowsError(try LayerNorm(0))
    }
}
