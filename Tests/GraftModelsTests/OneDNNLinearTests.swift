import GraftNN
import GraftTensor
import XCTest

/// oneDNN's inner product (`Tensor.linearByOneDNN`, which `Linear` takes for layers of a million multiply-adds or
/// more) against the BLAS product: outputs and all three gradients, on 2-D, 3-D and non-contiguous inputs, with and
/// without a bias, in training and in inference. Relative tolerance 1e-5 (the kernels differ in summation order only).
final class OneDNNLinearTests: XCTestCase {
    private func assertClose(_ actual: Tensor?, _ expected: Tensor?, _ what: String) throws {
        let (actual, expected) = try (XCTUnwrap(actual, what), XCTUnwrap(expected, what))
        XCTAssertEqual(actual.shape, expected.shape, what)
        XCTAssertLessThan(try maxAbsDifference(actual, expected) / expected.abs().max().item(), 1e-5, what)
    }

    func testOneDNNOutputsAndGradientsEqualTheBLASProducts() throws {
        Engine.manualSeed(11)
        // (input, weight and bias) needing gradients: training, a frozen layer that passes gradients on, the first layer.
        let trainable: [(input: Bool, parameters: Bool)] = [(true, true), (true, false), (false, true)]
        for hasBias in [true, false] {
            let weight = try Tensor.randn([40, 96]), bias = hasBias ? try Tensor.randn([40]) : nil
            for input in [try Tensor.randn([7, 96]), try Tensor.randn([3, 5, 96]), try Tensor.randn([96, 6]).transpose(0, 1)] {
                for needs in trainable {
                    let what = "bias \(hasBias), input \(input.shape), gradients for input \(needs.input), parameters \(needs.parameters)"
                    // Each kernel gets its own leaf copies, so their gradients are compared, not accumulated together.
                    func leaves() throws -> [Tensor?] {
                        try zip([input, weight, bias], [needs.input, needs.parameters, needs.parameters]).map { try $0?.detached().requiresGrad_($1) }
                    }
                    let (blas, oneDNN) = try (leaves(), leaves())
                    let expected = try blas[0]!.linear(weight: blas[1]!, bias: blas[2])
                    let actual = try oneDNN[0]!.linearByOneDNN(weight: oneDNN[1]!, bias: oneDNN[2])
                    try assertClose(actual, expected, what)
                    XCTAssertTrue(actual.requiresGrad, what)
                    let upstream = try Tensor.randn(expected.shape)
                    try expected.backward(gradient: upstream)
                    try actual.backward(gradient: upstream)
                    for (index, name) in ["input", "weight", "bias"].enumerated() where blas[index]?.requiresGrad == true {
                        try assertClose(oneDNN[index]?.grad, blas[index]?.grad, "\(name) gradient, \(what)")
                    }
                    for index in 0..<3 where oneDNN[index]?.requiresGrad == false {
                        XCTAssertNil(oneDNN[index]?.grad, "no gradient where none was asked for, \(what)")
                    }
                }
                let inference = try withNoGrad { try input.linearByOneDNN(weight: weight, bias: bias) }
                XCTAssertFalse(inference.requiresGrad)
                try assertClose(inference, input.linear(weight: weight, bias: bias), "inference, bias \(hasBias), \(input.shape)")
            }
        }
    }

    func testLargeLinearLayersTrainThroughOneDNN() throws {
        Engine.manualSeed(12)
        let layer = try Linear(256, 192)
        let input = try Tensor.randn([2, 16, 256]).requiresGrad_()  // 1.6 M multiply-adds: oneDNN's side
        let output = try layer(input)
        let expected = try input.linear(weight: layer.weight, bias: layer.bias)
        try assertClose(output, expected, "large layer output")
        XCTAssertTrue(output.requiresGrad)
        try output.sum().backward()
        XCTAssertEqual(layer.weight.grad?.shape, [192, 256])
        XCTAssertEqual(input.grad?.shape, [2, 16, 256])
    }
}
