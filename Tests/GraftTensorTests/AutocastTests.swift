import GraftTensor
import XCTest

/// `withAutocast` and `withPrecision`: which ops compute in the lower precision, how the state nests and is restored,
/// and the errors for what cannot be autocast.
final class AutocastTests: XCTestCase {
    func testLinearComputesInBFloat16ExactlyAsOnCastInputs() throws {
        Engine.manualSeed(5)
        let input = try Tensor.randn([4, 8]), weight = try Tensor.randn([3, 8]), bias = try Tensor.randn([3])
        let autocast = try withAutocast(.bfloat16, on: .cpu) { try input.linear(weight: weight, bias: bias) }
        XCTAssertEqual(autocast.dtype, .bfloat16)
        let onCastInputs = try input.to(.bfloat16).linear(weight: weight.to(.bfloat16), bias: bias.to(.bfloat16))
        XCTAssertEqual(try (autocast.to(.float32) - onCastInputs.to(.float32)).abs().max().item(), 0)
        let full = try input.linear(weight: weight, bias: bias)
        XCTAssertEqual(full.dtype, .float32, "autocast is off again")
        let gap = try (autocast.to(.float32) - full).abs().max().item() / full.abs().max().item()
        XCTAssertGreaterThan(gap, 0, "bfloat16 rounds")
        XCTAssertLessThan(gap, 2e-2, "within bfloat16's precision")
    }

    func testLossesRunInFloat32() throws {
        let logits = try Tensor.randn([2, 5]).to(.bfloat16)
        let loss = try withAutocast(.bfloat16, on: .cpu) { try logits.crossEntropy(targets: Tensor(Array<Int64>([1, 2]))) }
        XCTAssertEqual(loss.dtype, .float32, "cross entropy runs in float32 under CPU autocast, as in PyTorch 1.13")
    }

    func testRegionsNestAndRestoreTheOuterState() throws {
        XCTAssertFalse(isAutocastEnabled(on: .cpu))
        try withAutocast(.bfloat16, on: .cpu) {
            XCTAssertTrue(isAutocastEnabled(on: .cpu))
            try withAutocast(.bfloat16, on: .cpu) { XCTAssertTrue(isAutocastEnabled(on: .cpu)) }
            XCTAssertTrue(isAutocastEnabled(on: .cpu), "the outer region is still on")
        }
        XCTAssertFalse(isAutocastEnabled(on: .cpu))
    }

    func testAThrowingBodyStillRestoresTheState() throws {
        struct Stop: Error {}
        XCTAssertThrowsError(try withAutocast(.bfloat16, on: .cpu) { throw Stop() }) { XCTAssertTrue($0 is Stop) }
        XCTAssertFalse(isAutocastEnabled(on: .cpu))
    }

    func testFloat32PrecisionRunsTheBodyAsItIs() throws {
        let product = try withPrecision(.fp32, on: .cpu) {
            XCTAssertFalse(isAutocastEnabled(on: .cpu))
            return try Tensor.randn([2, 3]).matmul(Tensor.randn([3, 2]))
        }
        XCTAssertEqual(product.dtype, .float32)
        XCTAssertEqual(Precision.bf16.autocastDType, .bfloat16)
        XCTAssertEqual(Precision.fp16.autocastDType, .float16)
        XCTAssertTrue(Precision.fp16.needsLossScaling)
        XCTAssertFalse(Precision.bf16.needsLossScaling)
    }

    func testWhatCannotBeAutocastIsRefusedClearly() throws {
        XCTAssertThrowsError(try withAutocast(.int64, on: .cpu) {}) {
            XCTAssertTrue("\($0)".contains("bfloat16 or float16"), "\($0)")
        }
        XCTAssertThrowsError(try withAutocast(.bfloat16, on: .meta) {}) { XCTAssertTrue("\($0)".contains("meta"), "\($0)") }
        if !Device.isCUDAAvailable {
            XCTAssertThrowsError(try withAutocast(.float16, on: .cuda(0)) {}) {
                guard case TensorError.deviceUnavailable = $0 else { return XCTFail("\($0)") }
            }
        }
        if Engine.version.hasPrefix("1.") {
            XCTAssertThrowsError(try withAutocast(.float16, on: .cpu) {}) {
                XCTAssertTrue("\($0)".contains("on the CPU use bfloat16"), "\($0)")
            }
        }
        XCTAssertFalse(isAutocastEnabled(on: .cpu), "a refused region leaves autocast off")
    }
}
