@testable import GraftNN
import GraftTensor
import XCTest

/// TensorFlow "SAME" padding lets the convolution pad symmetric cases itself; results must equal padding the input
/// explicitly (the reference path) in values and gradients.
final class SamePaddingTests: XCTestCase {
    /// (kernel, stride, groups, input size): symmetric, asymmetric, no-padding and depthwise cases.
    let cases = [(3, 1, 1, 9), (3, 2, 1, 10), (3, 2, 1, 9), (5, 2, 4, 12), (5, 1, 4, 7), (1, 1, 1, 8), (1, 2, 1, 8)]

    func testSamePaddingEqualsExplicitPaddingForwardAndBackward() throws {
        Engine.manualSeed(3)
        for (kernel, stride, groups, size) in cases {
            let conv = try Conv2d(4, 8, kernelSize: kernel, stride: stride, groups: groups, bias: true, tensorFlowSamePadding: true)
            let pads = conv.samePads(height: size, width: size)
            let input = try Tensor.randn([2, 4, size, size]).requiresGrad_()
            let output = try conv(input)
            let reference = try input.pad(pads).conv2d(weight: conv.weight, bias: conv.bias, stride: (stride, stride), groups: groups)
            XCTAssertEqual(output.shape, [2, 8, (size + stride - 1) / stride, (size + stride - 1) / stride])
            XCTAssertEqual(output.shape, reference.shape)
            try assertClose(output, reference, "forward k\(kernel) s\(stride) n\(size)")

            let upstream = try Tensor.randn(output.shape)
            try output.backward(gradient: upstream)
            let inputGrad = try XCTUnwrap(input.grad).clone(), weightGrad = try XCTUnwrap(conv.weight.grad).clone()
            try input.clearGrad()
            try conv.weight.clearGrad()
            try reference.backward(gradient: upstream)
            try assertClose(inputGrad, try XCTUnwrap(input.grad), "input gradient k\(kernel) s\(stride) n\(size)")
            try assertClose(weightGrad, try XCTUnwrap(conv.weight.grad), "weight gradient k\(kernel) s\(stride) n\(size)")
            try conv.weight.clearGrad()
            try conv.bias?.clearGrad()
        }
    }

    func testChannelsLastInputGivesTheSameOutput() throws {
        Engine.manualSeed(4)
        let conv = try Conv2d(4, 4, kernelSize: 3, stride: 2, groups: 4, bias: false, tensorFlowSamePadding: true)
        let input = try Tensor.randn([2, 4, 11, 11])
        try assertClose(try conv(input.channelsLast()), try conv(input), "channels-last depthwise")
    }

    private func assertClose(_ a: Tensor, _ b: Tensor, _ what: String) throws {
        let difference = try (a - b).abs().max().item()
        XCTAssertLessThanOrEqual(difference, 1e-5, "\(what): max abs difference \(difference)")
    }
}
