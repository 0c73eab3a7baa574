import Foundation
import GraftDistributed
import GraftTensor
import GraftTestSupport
import XCTest

/// Gradient buckets are the ones PyTorch 1.13's DDP builds once it has seen the backward order (reverse parameter
/// order, 1 MiB first bucket, 25 MiB after): torch.distributed._compute_bucket_assignment_by_size is the reference.
final class GradientBucketsTests: XCTestCase {
    /// ResNet-50's parameter list is long; this one has its shape: many small tensors (BatchNorm weights and biases)
    /// between a few large ones (convolutions, the 2048×1000 classifier). Elements, in forward order.
    static let elementCounts = [9408, 64, 64, 4096, 64, 64, 36864, 64, 64, 16384, 256, 256, 16384, 256, 256,
                                 131072, 128, 128, 147456, 128, 128, 65536, 512, 512, 524288, 256, 256, 589824,
                                 256, 256, 1048576, 2048, 2048, 2048000, 1000]

    /// One bucketing question: tensors of `elements` and `dtypes` (forward order) and the two caps.
    struct Case: Encodable {
        let elements: [Int]
        let dtypes: [String]
        let cap: Int
        let firstCap: Int

        init(_ elements: [Int], _ dtypes: [DType], cap: Int = GradientBuckets.defaultCapBytes,
             firstCap: Int = GradientBuckets.defaultFirstCapBytes) {
            (self.elements, self.dtypes, self.cap, self.firstCap) = (elements, dtypes.map(\.description), cap, firstCap)
        }

        func ours() throws -> [[Int]] {
            let types = dtypes.map { name in DType.allCases.first { $0.description == name }! }
            return try GradientBuckets(byteCounts: zip(elements, types).map { $0 * $1.elementSize }, dtypes: types,
                                       capBytes: cap, firstCapBytes: firstCap).indices
        }
    }

    /// The reference buckets for each case, from one run of the reference interpreter.
    func referenceBuckets(_ cases: [Case]) throws -> [[[Int]]] {
        try ReferencePython.require(modules: ["torch"])
        let script = """
        import json, sys, torch, torch.distributed as dist
        answers = []
        for case in json.loads(sys.argv[1]):
            tensors = [torch.zeros(n, dtype=getattr(torch, d)) for n, d in zip(case["elements"], case["dtypes"])]
            ready = list(reversed(range(len(tensors))))  # the order backward produces the gradients
            buckets, _ = dist._compute_bucket_assignment_by_size(
                [tensors[i] for i in ready], [case["firstCap"], case["cap"]], [False] * len(tensors), ready)
            answers.append(buckets)
        print(json.dumps(answers))
        """
        let run = try ReferencePython.run(code: script, arguments: [String(decoding: try JSONEncoder().encode(cases), as: UTF8.self)])
        XCTAssertEqual(run.status, 0, run.errors)
        return try JSONDecoder().decode([[[Int]]].self, from: Data(run.output.utf8))
    }

    func testBucketsMatchDDP() throws {
        let float32 = [DType](repeating: .float32, count: Self.elementCounts.count)
        let resnet = [Case(Self.elementCounts, float32), Case(Self.elementCounts, float32, cap: 4 << 20, firstCap: 1 << 20),
                      Case(Self.elementCounts, float32, cap: 1 << 20, firstCap: 256 << 10)]
        let mixed = Case([300_000, 10, 100_000, 7_000_000, 5, 200_000, 3],
                         [.float32, .float64, .float32, .float32, .float32, .float64, .int64])
        let reference = try referenceBuckets(resnet + [mixed])
        for (index, c) in resnet.enumerated() {
            let ours = try c.ours()
            XCTAssertEqual(ours, reference[index], "caps \(c.firstCap) / \(c.cap)")
            XCTAssertEqual(ours.flatMap { $0 }.sorted(), Array(c.elements.indices))
        }
        // Each dtype fills buckets of its own. The buckets still open at the end come last, which c10d lists in its
        // hash map's order: those are compared as a set.
        let ours = try mixed.ours(), theirs = reference[resnet.count]
        XCTAssertEqual(ours.count, theirs.count)
        XCTAssertEqual(Set(ours), Set(theirs))
        XCTAssertEqual(Array(ours.prefix(2)), Array(theirs.prefix(2)), "the buckets closed by size, in order")
    }

    func testMismatchedListsAreRejected() {
        XCTAssertThrowsError(try GradientBuckets(byteCounts: [4, 4], dtypes: [.float32])) {
            XCTAssertEqual("\($0)", "GradientBuckets: 2 byte counts but 1 dtypes")
        }
        XCTAssertThrowsError(try GradientBuckets(byteCounts: [4], dtypes: [.float32], capBytes: 0))
    }
}
