import GraftNN
import GraftTensor
import XCTest

/// `Conv2d.forward(_:normalizedBy:)` folds a batch norm into the convolution exactly when it normalises with running
/// statistics and no gradient can flow, and otherwise runs the two layers as they are.
final class BatchNormFoldingTests: XCTestCase {
    /// A convolution and a batch norm with non-trivial affine parameters and running statistics.
    private func layers(_ conv: Conv2d) throws -> (Conv2d, BatchNorm2d) {
        let norm = try BatchNorm2d(conv.outChannels, eps: 1e-3)
        try withNoGrad {
            try norm.weight.copy_(from: Tensor.rand([conv.outChannels]) + 0.5)
            try norm.bias.copy_(from: Tensor.randn([conv.outChannels]))
            try norm.runningMean.copy_(from: Tensor.randn([conv.outChannels]) * 0.3)
            try norm.runningVar.copy_(from: Tensor.rand([conv.outChannels]) + 0.2)
        }
        conv.eval()
        norm.eval()
        return (conv, norm)
    }

    private func relativeError(_ a: Tensor, _ b: Tensor) throws -> Double {
        try (a - b).abs().max().item() / max(b.abs().max().item(), 1e-12)
    }

    func testFoldedInferenceMatchesTheTwoLayersForEveryConvolutionKind() throws {
        Engine.manualSeed(5)
        let convolutions = [
            try Conv2d(8, 16, kernelSize: 3, padding: 1, bias: false),
            try Conv2d(8, 16, kernelSize: 1, bias: true),
            try Conv2d(8, 8, kernelSize: 5, stride: 2, groups: 8, bias: false, tensorFlowSamePadding: true),
            try Conv2d(8, 16, kernelSize: 3, stride: 2, bias: false, tensorFlowSamePadding: true),
        ]
        for convolution in convolutions {
            let (conv, norm) = try layers(convolution)
            let input = try Tensor.randn([4, 8, 17, 17])
            let (folded, separate) = try withNoGrad { (try conv(input, normalizedBy: norm), try norm(conv(input))) }
            XCTAssertEqual(folded.shape, separate.shape)
            XCTAssertLessThan(try relativeError(folded, separate), 1e-5, conv.extraDescription)
            XCTAssertNotEqual(try folded.floats(), try separate.floats(), "the fold must actually run: \(conv.extraDescription)")
        }
    }

    func testFoldingIsSkippedWhenItWouldBeWrong() throws {
        Engine.manualSeed(6)
        let (conv, norm) = try layers(Conv2d(4, 6, kernelSize: 3, padding: 1, bias: false))
        let input = try Tensor.randn([2, 4, 9, 9])

        // Gradients flow into trainable parameters: the two layers run, and backward reaches the conv weight.
        let recorded = try conv(input, normalizedBy: norm)
        XCTAssertEqual(try recorded.floats(), try norm(conv(input)).floats())
        try recorded.sum().backward()
        XCTAssertNotNil(conv.weight.grad)

        // Training mode uses batch statistics, which a fold cannot express: same result as the two layers, stats updated.
        conv.train()
        norm.train()
        let meanBefore = try norm.runningMean.floats()
        let training = try withNoGrad { try conv(input, normalizedBy: norm) }
        XCTAssertNotEqual(try norm.runningMean.floats(), meanBefore)
        norm.eval()
        XCTAssertGreaterThan(try relativeError(training, withNoGrad { try norm(conv(input)) }), 1e-3)

        // Switched off: always the two layers.
        conv.eval()
        norm.foldsIntoConvolution = false
        XCTAssertEqual(try withNoGrad { try conv(input, normalizedBy: norm) }.floats(), try withNoGrad { try norm(conv(input)) }.floats())
    }

    func testFrozenLayersFoldWhileGradientsAreRecorded() throws {
        Engine.manualSeed(7)
        let (conv, norm) = try layers(Conv2d(4, 6, kernelSize: 3, padding: 1, bias: false))
        try conv.freeze()
        try norm.freeze()
        norm.train()  // frozen batch norms keep their running statistics, as in a frozen backbone
        let input = try Tensor.randn([2, 4, 9, 9])
        let frozen = try conv(input, normalizedBy: norm)
        XCTAssertFalse(frozen.requiresGrad)
        XCTAssertEqual(try frozen.floats(), try withNoGrad { try conv(input, normalizedBy: norm) }.floats())
        XCTAssertLessThan(try relativeError(frozen, withNoGrad { try norm(conv(input)) }), 1e-5)
    }

    func testSequentialFoldsAConvolutionFollowedByABatchNorm() throws {
        Engine.manualSeed(8)
        let (conv, norm) = try layers(Conv2d(3, 5, kernelSize: 3, padding: 1, bias: false))
        let block = Sequential([conv, norm, ReLU6()])
        block.eval()
        let input = try Tensor.randn([2, 3, 8, 8])
        let expected = try withNoGrad { try conv(input, normalizedBy: norm).relu6() }
        XCTAssertEqual(try withNoGrad { try block(input) }.floats(), try expected.floats())
        block.setBatchNormFolding(false)
        XCTAssertEqual(try withNoGrad { try block(input) }.floats(), try withNoGrad { try norm(conv(input)).relu6() }.floats())
    }
}
