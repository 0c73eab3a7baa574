import GraftTensor
import XCTest

/// The fixture inputs of one case, looked up by name.
struct Inputs {
    let tensors: [String: Tensor]
    subscript(_ name: String) -> Tensor {
        get throws {
            guard let t = tensors[name] else { throw TensorError.invalidArgument("fixture has no input \(name)") }
            return t
        }
    }
}

/// Every op of the C API against python3-torch 1.13 outputs and gradients (Fixtures/ops.json).
final class OpParityTests: XCTestCase {
    typealias Op = @Sendable (Inputs) throws -> [Tensor]

    static let ops: [String: Op] = [
        "add": { try [$0["a"] + $0["b"]] },
        "sub": { try [$0["a"] - $0["b"]] },
        "mul": { try [$0["a"] * $0["b"]] },
        "div": { try [$0["a"] / $0["b"]] },
        "scalar_ops": { try [((($0["a"] + 2.5) * 3.0) - 1.0) / 4.0] },
        "pow": { try [$0["a"].pow(1.7)] },
        "maximum": { try [$0["a"].maximum($0["b"])] },
        "minimum": { try [$0["a"].minimum($0["b"])] },
        "compare": { i in
            let a = try i["a"], b = try i["b"]
            return try [a.eq(a), a.ne(b), a.lt(b), a.le(b), a.gt(b), a.ge(b)]
        },
        "clamp": { try [$0["a"].clamp(-0.5, 0.7)] },
        "where": { i in try [Tensor.where(i["a"].gt(i["b"]), i["a"], i["b"])] },
        "neg": { try [-$0["x"]] },
        "exp": { try [$0["x"].exp()] },
        "abs": { try [$0["x"].abs()] },
        "relu": { try [$0["x"].relu()] },
        "relu6": { try [$0["x"].relu6()] },
        "gelu": { try [$0["x"].gelu()] },
        "sigmoid": { try [$0["x"].sigmoid()] },
        "tanh": { try [$0["x"].tanh()] },
        "sign": { try [$0["x"].sign()] },
        "square": { try [$0["x"].square()] },
        "floor": { try [$0["x"].floor()] },
        "silu": { try [$0["x"].silu()] },
        "hardswish": { try [$0["x"].hardswish()] },
        "hardsigmoid": { try [$0["x"].hardsigmoid()] },
        "log": { try [$0["x"].log()] },
        "sqrt": { try [$0["x"].sqrt()] },
        "rsqrt": { try [$0["x"].rsqrt()] },
        "reciprocal": { try [$0["x"].reciprocal()] },
        "matmul": { try [$0["a"].matmul($0["b"])] },
        "matmul_batched": { try [$0["a"].matmul($0["b"])] },
        "sum_all": { try [$0["x"].sum()] },
        "sum_dims": { try [$0["x"].sum(dims: [1, 3], keepDim: true)] },
        "mean_dims": { try [$0["x"].mean(dims: [0, 2])] },
        "var": { i in try [i["x"].variance(), i["x"].variance(dims: [1], unbiased: false, keepDim: true)] },
        "max_dim": { i in let r = try i["x"].max(dim: 2); return [r.values, r.indices] },
        "min_dim": { i in let r = try i["x"].min(dim: 1, keepDim: true); return [r.values, r.indices] },
        "max_min_all": { i in try [i["x"].max(), i["x"].min()] },
        "argmax": { try [$0["x"].argmax(dim: 3)] },
        "topk": { i in let r = try i["x"].topk(3, dim: -1); return [r.values, r.indices] },
        "norm": { try [$0["x"].norm()] },
        "reshape": { try [$0["x"].reshape([6, -1])] },
        "permute": { try [$0["x"].permute([0, 2, 3, 1]).contiguous()] },
        "transpose": { try [$0["x"].transpose(1, 3).contiguous()] },
        "cat": { i in try [Tensor.cat([i["a"], i["b"], i["a"]], dim: 1)] },
        "stack": { i in try [Tensor.stack([i["a"], i["b"]], dim: 1)] },
        "slice": { try [$0["x"].slice(dim: 2, start: 1, end: 4, step: 2).contiguous()] },
        "select": { try [$0["x"].select(dim: 1, index: 2)] },
        "index_select": { i in try [i["x"].indexSelect(dim: 1, index: i["i"])] },
        "flatten": { try [$0["x"].flatten(start: 1)] },
        "squeeze_unsqueeze": { i in try [i["x"].squeeze(dim: 1), i["x"].unsqueeze(dim: 0)] },
        "expand": { try [$0["x"].expand([3, 4]).contiguous()] },
        "conv2d": { i in try [i["x"].conv2d(weight: i["w"], bias: i["b"], stride: (2, 2), padding: (1, 1))] },
        "conv2d_depthwise": { i in try [i["x"].conv2d(weight: i["w"], padding: (1, 1), groups: 4)] },
        "conv2d_dilated": { i in try [i["x"].conv2d(weight: i["w"], bias: i["b"], padding: (2, 2), dilation: (2, 2), groups: 2)] },
        "batch_norm_train": { i in
            let rm = try i["rm"].clone(), rv = try i["rv"].clone()
            let y = try i["x"].batchNorm(weight: i["weight"], bias: i["bias"], runningMean: rm, runningVar: rv, training: true)
            return [y, rm, rv]
        },
        "batch_norm_eval": { i in
            try [i["x"].batchNorm(weight: i["weight"], bias: i["bias"], runningMean: i["rm"], runningVar: i["rv"], training: false, eps: 1e-3)]
        },
        "layer_norm": { i in try [i["x"].layerNorm(normalizedShape: [8], weight: i["w"], bias: i["b"], eps: 1e-12)] },
        "linear": { i in try [i["x"].linear(weight: i["w"], bias: i["b"])] },
        "embedding": { i in try [i["w"].embedding(indices: i["i"])] },
        "max_pool2d": { try [$0["x"].maxPool2d(kernel: (3, 3), stride: (2, 2), padding: (1, 1))] },
        "max_pool2d_ceil": { try [$0["x"].maxPool2d(kernel: (2, 2), ceilMode: true)] },
        "avg_pool2d": { try [$0["x"].avgPool2d(kernel: (3, 3), stride: (2, 2), padding: (1, 1), countIncludePad: false)] },
        "adaptive_avg_pool2d": { i in try [i["x"].adaptiveAvgPool2d((1, 1)), i["x"].adaptiveAvgPool2d((2, 3))] },
        "pad": { try [$0["x"].pad([0, 1, 2, 1], value: 0.5)] },
        "roll": { try [$0["x"].roll(shifts: [-2, 1], dims: [2, 3])] },
        "upsample_bicubic2d": { i in
            try [i["x"].upsampleBicubic2d(size: (7, 3), alignCorners: true), i["x"].upsampleBicubic2d(size: (3, 6), alignCorners: false)]
        },
        "softmax": { i in try [i["x"].softmax(dim: 1), i["x"].logSoftmax(dim: 1)] },
        "cross_entropy": { i in try [i["x"].crossEntropy(targets: i["t"])] },
        "cross_entropy_weighted_smoothed": { i in try [i["x"].crossEntropy(targets: i["t"], weight: i["w"], labelSmoothing: 0.1)] },
        "cross_entropy_none_sum": { i in
            try [i["x"].crossEntropy(targets: i["t"], reduction: .none), i["x"].crossEntropy(targets: i["t"], reduction: .sum)]
        },
        "cross_entropy_ignore": { i in try [i["x"].crossEntropy(targets: i["t"], ignoreIndex: -100)] },
        "seeded_random": { _ in
            Engine.manualSeed(42)
            return try [
                Tensor.randn([3, 4]), Tensor.rand([5]), Tensor.randint(low: 0, high: 10, [6]), Tensor.randperm(7),
                Tensor.ones([2, 50]).dropout(p: 0.3, training: true),
            ]
        },
        "arange": { _ in try [Tensor.arange(0.5, 3.0, step: 0.25)] },
    ]

    func testFixtureWasMadeByTheSameEngine() throws {
        let fixture = try Fixtures.ops()
        XCTAssertTrue(fixture.torch.hasPrefix("1.13"), "fixture made by torch \(fixture.torch)")
        XCTAssertTrue(Engine.version.hasPrefix("1.13"), "linked libtorch \(Engine.version)")
    }

    func testEveryCaseHasAnImplementationAndViceVersa() throws {
        let names = Set(try Fixtures.ops().cases.map(\.name))
        XCTAssertEqual(names, Set(Self.ops.keys))
    }

    func testOutputsAndGradientsMatchPyTorch() throws {
        for fixture in try Fixtures.ops().cases {
            guard let op = Self.ops[fixture.name] else { continue }
            var tensors: [String: Tensor] = [:]
            for (name, value) in fixture.inputs {
                let t = try value.tensor()
                if fixture.grads?[name] != nil { try t.requiresGrad_() }
                tensors[name] = t
            }
            let outputs = try op(Inputs(tensors: tensors))
            XCTAssertEqual(outputs.count, fixture.outputs.count, fixture.name)
            for (k, (actual, expected)) in zip(outputs, fixture.outputs).enumerated() {
                try assertClose(actual, expected, "\(fixture.name) output \(k)")
            }
            guard let grads = fixture.grads, let upstream = fixture.upstream, let first = outputs.first else { continue }
            try (first * upstream.tensor()).sum().backward()
            for (name, expected) in grads {
                let grad = try XCTUnwrap(tensors[name]?.grad, "\(fixture.name): no gradient for \(name)")
                try assertClose(grad, expected, rtol: 1e-5, atol: 1e-5, "\(fixture.name) d/d\(name)")
            }
        }
    }
}
