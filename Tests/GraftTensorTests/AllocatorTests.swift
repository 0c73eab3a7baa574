import GraftTensor
import XCTest

/// `Engine.reuseFreedMemory` switches glibc to keeping freed blocks; tensors must behave exactly as before.
final class AllocatorTests: XCTestCase {
    func testReuseFreedMemoryIsAcceptedAndLargeTensorsStayCorrect() throws {
        XCTAssertTrue(Engine.reuseFreedMemory(), "glibc refused the allocator settings")
        for round in 1...3 {
            // 64 MiB each: far above glibc's default mmap threshold, so these come from the retained heap now.
            let big = try Tensor.full([4, 1024, 4096], value: Double(round))
            let sum = try big.sum().item()
            XCTAssertEqual(sum, Double(round) * 4 * 1024 * 4096, accuracy: 1e-3 * Double(4 * 1024 * 4096))
            let fresh = try Tensor.zeros([4, 1024, 4096])
            XCTAssertEqual(try fresh.abs().max().item(), 0, "a reused block must still be zero-filled by zeros()")
        }
    }
}
