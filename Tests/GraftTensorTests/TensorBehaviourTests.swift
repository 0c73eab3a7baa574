import Foundation
import GraftTensor
import XCTest

/// Creation, copies, dtypes, autograd switches, error messages and memory ownership.
final class TensorBehaviourTests: XCTestCase {
    func testValuesRoundTripForEveryDType() throws {
        XCTAssertEqual(try Tensor([1.5, -2, 3] as [Float], shape: [3]).scalars(as: Float.self), [1.5, -2, 3])
        XCTAssertEqual(try Tensor([1.25, 2] as [Double]).scalars(as: Double.self), [1.25, 2])
        XCTAssertEqual(try Tensor([1, -9_000_000_000] as [Int64]).scalars(as: Int64.self), [1, -9_000_000_000])
        XCTAssertEqual(try Tensor([7, 255] as [UInt8]).to(.float32).scalars(as: Float.self), [7, 255])
        XCTAssertEqual(try Tensor([true, false]).scalars(as: Bool.self), [true, false])
        XCTAssertEqual(try Tensor([1, 2, 3, 4, 5, 6] as [Float], shape: [2, 3]).shape, [2, 3])
        XCTAssertEqual(try Tensor(scalar: Float(4)).shape, [])
        XCTAssertEqual(try Tensor.zeros([2, 0, 3]).count, 0)
    }

    func testHalfPrecisionConversionsRound() throws {
        let t = try Tensor([1.0, 1.0 + 1.0 / 1024, 3.14159] as [Float]).to(.float16)
        XCTAssertEqual(t.dtype, .float16)
        XCTAssertEqual(try t.floats(), [1.0, 1.0009765625, 3.140625])
        XCTAssertEqual(try Tensor([3.14159] as [Float]).to(.bfloat16).floats(), [3.140625])
    }

    func testWrongElementTypeAndShapeAreErrorsNotCrashes() throws {
        let t = try Tensor([1, 2] as [Float])
        XCTAssertThrowsError(try t.scalars(as: Int64.self)) { XCTAssertTrue("\($0)".contains("float32")) }
        XCTAssertThrowsError(try Tensor([1, 2, 3] as [Float], shape: [2, 2])) { XCTAssertTrue("\($0)".contains("4 elements")) }
        XCTAssertThrowsError(try Tensor.zeros([-1, 2])) { XCTAssertTrue("\($0)".contains("negative")) }
        XCTAssertThrowsError(try t.item())
    }

    func testMatmulShapeMismatchNamesTheShapes() throws {
        let a = try Tensor.zeros([2, 3]), b = try Tensor.zeros([4, 5])
        XCTAssertThrowsError(try a.matmul(b)) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("matmul([2, 3], [4, 5])"), message)
            XCTAssertTrue(message.contains("2x3") && message.contains("4x5"), message)
            XCTAssertFalse(message.contains("frame #"), "no C++ backtrace in user messages: \(message)")
        }
    }

    func testConvChannelMismatchNamesTheShapes() throws {
        let x = try Tensor.zeros([1, 4, 8, 8]), w = try Tensor.zeros([8, 3, 3, 3])
        XCTAssertThrowsError(try x.conv2d(weight: w)) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("conv2d([1, 4, 8, 8], [8, 3, 3, 3])"), message)
            XCTAssertTrue(message.contains("3 channels"), message)
        }
    }

    func testNoGradScopeStopsRecordingAndRestores() throws {
        let w = try Tensor.ones([3]).requiresGrad_()
        XCTAssertTrue(isGradEnabled)
        let inside = try withNoGrad { () throws -> Tensor in
            XCTAssertFalse(isGradEnabled)
            return try w * 2.0
        }
        XCTAssertTrue(isGradEnabled)
        XCTAssertFalse(inside.requiresGrad)
        XCTAssertTrue(try (w * 2.0).requiresGrad)
        XCTAssertThrowsError(try inside.sum().backward())
    }

    func testGradientsAccumulateAndClear() throws {
        let w = try Tensor([1, 2, 3] as [Float]).requiresGrad_()
        XCTAssertNil(w.grad)
        try (w * w).sum().backward()
        try (w * 3.0).sum().backward()
        XCTAssertEqual(try XCTUnwrap(w.grad).scalars(as: Float.self), [5, 7, 9])
        try w.clearGrad()
        XCTAssertNil(w.grad)
        let detached = try (w * 2.0).detached()
        XCTAssertFalse(detached.requiresGrad)
    }

    func testInPlaceUpdatesUnderNoGrad() throws {
        let p = try Tensor([1, 1] as [Float]).requiresGrad_()
        let g = try Tensor([0.5, -1] as [Float])
        try withNoGrad {
            try p.add_(g, alpha: -0.1)
            try p.addcmul_(g, g, value: 2)
            try p.addcdiv_(g, Tensor([2, 4] as [Float]), value: 1)
        }
        let expected: [Float] = [1 - 0.05 + 0.5 + 0.25, 1 + 0.1 + 2 - 0.25]
        for (a, e) in zip(try p.detached().scalars(as: Float.self), expected) { XCTAssertEqual(a, e, accuracy: 1e-6) }
    }

    func testRemainingInPlaceOpsViewsAndPrinting() throws {
        let t = try Tensor.zeros([2, 2])
        try t.fill_(3)
        try t.sub_(Tensor([1, 2] as [Float]))
        try t.div_(Tensor([2, 4] as [Float]))
        try t.mul_(Tensor([4, 2] as [Float]))
        try t.clampMin_(1.5)
        XCTAssertEqual(try t.scalars(as: Float.self), [4, 1.5, 4, 1.5])
        XCTAssertEqual(try t.view([4]).shape, [4])
        XCTAssertThrowsError(try t.transpose(0, 1).view([4])) { XCTAssertTrue("\($0)".contains("view")) }
        XCTAssertTrue(t.description.contains("4.0000") && t.description.contains("1.5000"), t.description)
        Engine.manualSeed(11)
        let samples = try Tensor.empty([20_000])
        try samples.normal_(mean: 2, std: 0.5)
        XCTAssertEqual(try samples.mean().item(), 2, accuracy: 0.02)
        XCTAssertEqual(try samples.variance().item().squareRoot(), 0.5, accuracy: 0.02)
    }

    func testWritingABatchInPlace() throws {
        let batch = try Tensor.empty([2, 3])
        try batch.withUnsafeMutableBuffer(of: Float.self) { buffer in
            for i in buffer.indices { buffer[i] = Float(i) }
        }
        XCTAssertEqual(try batch.scalars(as: Float.self), [0, 1, 2, 3, 4, 5])
        XCTAssertThrowsError(try batch.transpose(0, 1).withUnsafeMutableBuffer(of: Float.self) { _ in })
    }

    func testEngineFacts() {
        XCTAssertTrue(Engine.version.hasPrefix("1.13"))
        XCTAssertTrue(Engine.buildConfiguration.contains("CPU capability"))
        let before = Engine.threads
        Engine.threads = 1
        XCTAssertEqual(Engine.threads, 1)
        Engine.threads = before
        XCTAssertEqual(Device("cuda:1"), .cuda(1))
        XCTAssertNil(Device("tpu"))
    }

    /// Resident memory in bytes, from /proc/self/statm.
    private func residentBytes() throws -> Int {
        let text = try String(contentsOfFile: "/proc/self/statm", encoding: .utf8)
        let pages = Int(text.split(separator: " ")[1]) ?? 0
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    func testMillionSmallTensorsDoNotLeak() throws {
        func churn(_ n: Int) throws {
            for i in 0..<n {
                let t = try Tensor([Float(i), 1, 2, 3], shape: [2, 2])
                _ = try (t + 1.0).sum()
            }
        }
        try churn(100_000)  // warm up allocator caches
        let before = try residentBytes()
        try churn(1_000_000)
        let grown = try residentBytes() - before
        XCTAssertLessThan(grown, 16 << 20, "RSS grew by \(grown >> 20) MiB over a million tensors")
    }
}
