import Foundation
import GraftDistributed
import GraftTensor
import GraftTestSupport
import XCTest

/// Gradient buckets are the ones PyTorch 1.13's DDP builds once it has seen the backward order (reverse parameter
/// order, 1 MiB first bucket, 25 MiB after): torch.distributed._compute_bucket_assignment_by_size is the reference.
final class GradientBucketsTests: XCTestCase {
    /// ResNet-50's parameter sizes (elements, forward order) are long; this list has its shape: many small tensors
    /// (BatchNorm weights and biases), a few large ones (convolutions, the 2048×1000 classifier).
    static let elementCounts = [9408, 64, 64, 4096, 64, 64, 36864, 64, 64, 16384, 256, 256, 16384, 256, 256,
                                 131072, 128, 128, 147456, 128, 128, 65536, 512, 512, 524288, 256, 256, 589824,
                                 256, 256, 1048576, 2048, 2048, 2048000, 1000]

    /// The reference buckets for tensors of `elements` and `dtypes` (forward order), listed by the script as JSON.
    func referenceBuckets(_ elements: [Int], _ dtypes: [DType], cap: Int, firstCap: Int) throws -> [[Int]] {
        try ReferencePython.require(modules: ["torch"])
        let script = """
        import json, sys, torch, torch.distributed as dist
        elements, dtypes, cap, first = json.loads(sys.argv[1]), json.loads(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
        tensors = [torch.zeros(n, dtype=getattr(torch, d)) for n, d in zip(elements, dtypes)]
        ready = list(reversed(range(len(tensors))))  # the order backward produces the gradients
        buckets, _ = dist._compute_bucket_assignment_by_size([tensors[i] for i in ready], [first, cap], [False] * len(tensors), ready)
        print(json.dumps(buckets))
        """
        func json(_ value: Any) throws -> String { String(decoding: try JSONSerialization.data(withJSONObject: value), as: UTF8.self) }
        let run = try ReferencePython.run(code: script, arguments: [try json(elements), try json(dtypes.map(\.description)),
                                                                    String(cap), String(firstCap)])
        XCTAssertEqual(run.status, 0, run.errors)
        return try JSONDecoder().decode([[Int]].self, from: Data(run.output.utf8))
    }

    func testResNetShapedListMatchesDDP() throws {
        let dtypes = [DType](repeating: .float32, count: Self.elementCounts.count)
        let bytes = Self.elementCounts.map { $0 * 4 }
        for (cap, firstCap) in [(GradientBuckets.defaultCapBytes, GradientBuckets.defaultFirstCapBytes), (4 << 20, 1 << 20), (1 << 20, 256 << 10)] {
            let ours = try GradientBuckets(byteCounts: bytes, dtypes: dtypes, capBytes: cap, firstCapBytes: firstCap)
            XCTAssertEqual(ours.indices, try referenceBuckets(Self.elementCounts, dtypes, cap: cap, firstCap: firstCap),
                           "caps \(firstCap) / \(cap)")
            XCTAssertEqual(ours.indices.flatMap { $0 }.sorted(), Array(bytes.indices))
        }
    }

    /// Each dtype fills buckets of its own. The buckets still open at the end come last; c10d lists them in its hash
    /// map's order, so those are compared as a set.
    func testMixedDTypesFillSeparateBuckets() throws {
        let elements = [300_000, 10, 100_000, 7_000_000, 5, 200_000, 3]
        let dtypes: [DType] = [.float32, .float64, .float32, .float32, .float32, .float64, .int64]
        let ours = try GradientBuckets(byteCounts: zip(elements, dtypes).map { $0 * $1.elementSize }, dtypes: dtypes).indices
        let reference = try referenceBuckets(elements, dtypes, cap: GradientBuckets.defaultCapBytes,
                                             firstCap: GradientBuckets.defaultFirstCapBytes)
        XCTAssertEqual(ours.count, reference.count)
        XCTAssertEqual(Set(ours), Set(reference))
        XCTAssertEqual(Array(ours.prefix(2)), Array(reference.prefix(2)), "the buckets closed by size, in order")
    }

    func testMismatchedListsAreRejected() {
        XCTAssertThrowsError(try GradientBuckets(byteCounts: [4, 4], dtypes: [.float32])) {
            XCTAssertEqual("\($0)", "GradientBuckets: 2 byte counts but 1 dtypes")
        }
        XCTAssertThrowsError(try GradientBuckets(byteCounts: [4], dtypes: [.float32], capBytes: 0))
    }
}
