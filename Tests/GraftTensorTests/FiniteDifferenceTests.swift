import GraftTensor
import XCTest

/// Autograd gradients of conv2d, batch_norm, linear and cross_entropy agree with central finite differences (float64).
final class FiniteDifferenceTests: XCTestCase {
    /// Checks d(sum(f(x) * upstream))/dx at every element of each input against (L(x+h) - L(x-h)) / 2h.
    func checkGradients(_ inputs: [Tensor], tolerance: Double = 1e-6, _ f: @escaping ([Tensor]) throws -> Tensor) throws {
        for t in inputs { try t.requiresGrad_() }
        let output = try f(inputs)
        let upstream = try Tensor.randn(output.shape, dtype: .float64)
        try (output * upstream).sum().backward()
        let loss: () throws -> Double = { try withNoGrad { try (f(inputs) * upstream).sum().item() } }
        let h = 1e-6
        for (n, input) in inputs.enumerated() {
            let analytic = try XCTUnwrap(input.grad).scalars(as: Double.self)
            // XCTAssertEqual(_:_:accuracy:) passes ±Inf against itself; a non-finite gradient must fail.
            XCTAssertTrue(analytic.allSatisfy(\.isFinite), "input \(n): non-finite gradient \(analytic)")
            let flat = try input.detached().view([-1])
            for i in 0..<input.count {
                let element = try flat.slice(dim: 0, start: i, end: i + 1)
                try element.add_(h)
                let plus = try loss()
                try element.add_(-2 * h)
                let minus = try loss()
                try element.add_(h)
                let numeric = (plus - minus) / (2 * h)
                XCTAssertEqual(analytic[i], numeric, accuracy: tolerance * max(1, abs(numeric)), "input \(n) element \(i)")
            }
        }
    }

    override func setUp() {
        Engine.manualSeed(7)
    }

    func testConv2d() throws {
        let x = try Tensor.randn([2, 2, 5, 5], dtype: .float64), w = try Tensor.randn([3, 2, 3, 3], dtype: .float64)
        let b = try Tensor.randn([3], dtype: .float64)
        try checkGradients([x, w, b]) { try $0[0].conv2d(weight: $0[1], bias: $0[2], stride: (2, 2), padding: (1, 1)) }
    }

    func testDepthwiseConv2d() throws {
        let x = try Tensor.randn([1, 3, 4, 4], dtype: .float64), w = try Tensor.randn([3, 1, 3, 3], dtype: .float64)
        try checkGradients([x, w]) { try $0[0].conv2d(weight: $0[1], padding: (1, 1), groups: 3) }
    }

    func testBatchNormTraining() throws {
        let x = try Tensor.randn([4, 3, 2, 2], dtype: .float64)
        let gamma = try Tensor.rand([3], dtype: .float64) + 0.5, beta = try Tensor.randn([3], dtype: .float64)
        try checkGradients([x, gamma, beta], tolerance: 1e-5) {
            try $0[0].batchNorm(weight: $0[1], bias: $0[2], runningMean: nil, runningVar: nil, training: true)
        }
    }

    func testLinear() throws {
        let x = try Tensor.randn([4, 5], dtype: .float64), w = try Tensor.randn([3, 5], dtype: .float64)
        let b = try Tensor.randn([3], dtype: .float64)
        try checkGradients([x, w, b]) { try $0[0].linear(weight: $0[1], bias: $0[2]) }
    }

    func testCrossEntropyWithWeightsAndSmoothing() throws {
        let logits = try Tensor.randn([5, 4], dtype: .float64)
        let targets = try Tensor([0, 3, 1, 1, 2] as [Int64])
        let weight = try Tensor.rand([4], dtype: .float64) + 0.5
        try checkGradients([logits]) { try $0[0].crossEntropy(targets: targets, weight: weight, labelSmoothing: 0.2) }
    }
}
