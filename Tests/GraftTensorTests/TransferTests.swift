import GraftTensor
import XCTest

/// Pinned host memory and non-blocking copies: refused with the reason without CUDA; on a CUDA machine, a pinned
/// tensor copies to the device and back unchanged.
final class TransferTests: XCTestCase {
    func testCopiesToTheCPUAreOrdinaryCopies() throws {
        let values: [Float] = [1, 2, 3, 4]
        let tensor = try Tensor(values)
        XCTAssertFalse(tensor.isPinned)
        XCTAssertEqual(try tensor.to(device: .cpu, nonBlocking: true).scalars(as: Float.self), values)
    }

    func testPinnedMemoryNeedsCUDA() throws {
        guard !Device.isCUDAAvailable else {
            let pinned = try Tensor.emptyPinned([2, 3])
            XCTAssertTrue(pinned.isPinned)
            try pinned.copy_(from: Tensor.randn([2, 3]))
            let back = try pinned.to(device: .cuda(0), nonBlocking: true).to(device: .cpu)
            XCTAssertEqual(try back.scalars(as: Float.self), try pinned.scalars(as: Float.self))
            return
        }
        XCTAssertThrowsError(try Tensor.emptyPinned([2, 3])) {
            guard case TensorError.deviceUnavailable = $0 else { return XCTFail("\($0)") }
        }
    }
}
