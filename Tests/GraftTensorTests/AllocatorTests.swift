import Foundation
import GraftTensor
import XCTest

/// `Engine.cacheTensorMemory` routes every later tensor through Graft's caching allocator: tensors must behave exactly as
/// before, freed memory must be reused (split and coalesced) and handed back on request.
final class AllocatorTests: XCTestCase {
    private static let mebibyte = 1 << 20

    override func setUp() {
        super.setUp()
        XCTAssertTrue(Engine.cacheTensorMemory(), "libtorch refused the caching allocator")
    }

    /// A float32 tensor of `mebibytes` MiB filled with `value`.
    private func block(mebibytes: Int, value: Double) throws -> Tensor {
        try Tensor.full([mebibytes * Self.mebibyte / 4], value: value)
    }

    func testReusedBlocksHoldCorrectValuesAndZerosStillZeroFills() throws {
        for round in 1...3 {
            let big = try Tensor.full([4, 1024, 4096], value: Double(round))
            XCTAssertEqual(try big.sum().item(), Double(round) * 4 * 1024 * 4096, accuracy: 1e-3 * Double(4 * 1024 * 4096))
            let fresh = try Tensor.zeros([4, 1024, 4096])
            XCTAssertEqual(try fresh.abs().max().item(), 0, "a reused block must still be zero-filled by zeros()")
        }
    }

    /// The process's resident memory now (/proc/self/statm).
    private func residentBytes() throws -> Int {
        let fields = try String(contentsOfFile: "/proc/self/statm", encoding: .utf8).split(separator: " ")
        return try XCTUnwrap(Int(fields[1])) * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    func testFreedMemoryIsReusedWithoutNewPagesAndReleasedOnRequest() throws {
        Engine.releaseCachedMemory()
        let start = try residentBytes()
        do { XCTAssertEqual(try block(mebibytes: 64, value: 1).mean().item(), 1) }
        let afterFirst = try residentBytes()
        XCTAssertGreaterThan(afterFirst - start, 56 * Self.mebibyte, "a freed tensor's pages stay with the process")
        do { XCTAssertEqual(try block(mebibytes: 64, value: 2).mean().item(), 2) }
        let afterSecond = try residentBytes()
        XCTAssertLessThan(afterSecond - afterFirst, 8 * Self.mebibyte, "the second tensor must reuse the first one's pages")
        XCTAssertGreaterThanOrEqual(Engine.releaseCachedMemory(), 64 * Self.mebibyte)
        XCTAssertLessThan(try residentBytes(), afterSecond - 56 * Self.mebibyte, "released pages leave the process")
    }

    func testNeighbouringFreeBlocksCoalesce() throws {
        do { _ = try block(mebibytes: 2, value: 0) }  // reserves the arena if an earlier release unmapped it
        let before = Engine.tensorMemory
        XCTAssertGreaterThanOrEqual(before.freeBytes, 200 * Self.mebibyte)
        do {
            let first = try block(mebibytes: 100, value: 1)
            let second = try block(mebibytes: 100, value: 2)
            XCTAssertEqual(try first.sum().item() + second.sum().item(), 3 * 25 * Double(Self.mebibyte), accuracy: 1e3)
        }
        XCTAssertEqual(Engine.tensorMemory, before, "the two freed blocks must merge back into the free space they came from")
        do {
            let joined = try block(mebibytes: 200, value: 3)
            XCTAssertEqual(try joined.mean().item(), 3)
            XCTAssertEqual(Engine.tensorMemory.reservedBytes, before.reservedBytes, "200 MiB must fit the merged space")
        }
        XCTAssertEqual(Engine.tensorMemory, before)
    }

    func testConcurrentAllocationsFromManyThreads() throws {
        let failures = ManagedAtomicCounter()
        DispatchQueue.concurrentPerform(iterations: 8) { index in
            for round in 0..<20 {
                let value = Double(index * 100 + round)
                guard let tensor = try? Tensor.full([512, 1024], value: value), let mean = try? tensor.mean().item(),
                      mean == value else {
                    failures.increment()
                    continue
                }
            }
        }
        XCTAssertEqual(failures.value, 0)
    }

    func testOneDNNConvolutionThroughTheAllocator() throws {
        // oneDNN allocates its buffers through the allocator's raw interface.
        Engine.manualSeed(3)
        let input = try Tensor.randn([8, 16, 64, 64])
        let weight = try Tensor.randn([32, 16, 3, 3])
        let output = try input.conv2d(weight: weight, padding: (1, 1))
        XCTAssertEqual(output.shape, [8, 32, 64, 64])
        let reference = try (input.slice(dim: 0, start: 0, end: 1).conv2d(weight: weight, padding: (1, 1)) - output.slice(dim: 0, start: 0, end: 1)).abs().max().item()
        XCTAssertLessThan(reference, 1e-4)
    }
}

/// A counter several threads increment.
private final class ManagedAtomicCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}
