import GraftDistributed
import GraftTensor
import GraftTestSupport
import XCTest

/// The collectives between Graft ranks (threads of this process, each with its own store client and Gloo group):
/// sums and broadcasts are exact; averaged gradients equal the directly computed mean within 1e-6.
final class CollectiveTests: XCTestCase {
    /// Rank `rank`'s contribution: float32, float64 and int64 tensors whose sums are exact in their dtype in any order
    /// (the float64 one needs more bits than float32 has).
    static func contribution(rank: Int) throws -> [Tensor] {
        [
            try Tensor((0..<6).map { Float($0) * Float(rank + 1) + 0.25 }, shape: [2, 3]),
            try Tensor((0..<4).map { Double($0) + Double(rank + 1) * 0x1p-40 }, shape: [4]),
            try Tensor((0..<5).map { Int64($0) * 1000 + Int64(rank) }, shape: [5]),
            try Tensor((0..<3).map { Float($0) - Float(rank) }, shape: [3]),
        ]
    }

    func testAllReduceSumsEveryDTypeExactlyOnThreeRanks() throws {
        let sums = try ThreadRanks.values(worldSize: 3) { group -> [[Double]] in
            let tensors = try Self.contribution(rank: group.rank)
            try group.allReduceSum(tensors)
            return try tensors.map { try $0.to(.float64).scalars(as: Double.self) }
        }
        let contributions = try (0..<3).map { rank in try Self.contribution(rank: rank) }
        for (index, tensor) in contributions[0].enumerated() {
            let expected: [Double]
            switch tensor.dtype {
            case .float32:
                let parts = try contributions.map { try $0[index].scalars(as: Float.self) }
                expected = (0..<tensor.count).map { i in Double(parts[0][i] + parts[1][i] + parts[2][i]) }
            case .float64:
                let parts = try contributions.map { try $0[index].scalars(as: Double.self) }
                expected = (0..<tensor.count).map { i in parts[0][i] + parts[1][i] + parts[2][i] }
            default:
                let parts = try contributions.map { try $0[index].scalars(as: Int64.self) }
                expected = (0..<tensor.count).map { i in Double(parts[0][i] + parts[1][i] + parts[2][i]) }
            }
            for rank in 0..<3 {
                XCTAssertEqual(sums[rank][index], expected, "tensor \(index) (\(tensor.dtype)) on rank \(rank)")
            }
        }
    }

    func testBroadcastFromEachRootOverwritesEveryRank() throws {
        let received = try ThreadRanks.values(worldSize: 2) { group -> [[[Double]]] in
            try (0..<2).map { root in
                let tensors = try Self.contribution(rank: group.rank)
                try group.broadcast(tensors, from: root)
                return try tensors.map { try $0.to(.float64).scalars(as: Double.self) }
            }
        }
        for root in 0..<2 {
            let sent = try Self.contribution(rank: root).map { try $0.to(.float64).scalars(as: Double.self) }
            for rank in 0..<2 { XCTAssertEqual(received[rank][root], sent, "root \(root), rank \(rank)") }
        }
    }

    func testAllGatherAndBarrier() throws {
        let gathered = try ThreadRanks.values(worldSize: 3) { group -> [[Int64]] in
            try group.barrier()
            let mine = try Tensor([Int64(group.rank) * 10 + 1, Int64(group.rank) * 10 + 2], shape: [2])
            let all = try group.allGather(mine)
            try group.barrier()
            return try all.map { try $0.scalars(as: Int64.self) }
        }
        for rank in 0..<3 { XCTAssertEqual(gathered[rank], [[1, 2], [11, 12], [21, 22]], "rank \(rank)") }
    }

    func testAveragedGradientsEqualTheMeanOverRanksInSeveralBuckets() throws {
        let shapes = [[64, 32], [64], [300, 20], [10], [128, 64], [5, 5]]
        @Sendable func gradients(rank: Int) throws -> [Tensor] {
            var generator = SeededGenerator(seed: UInt64(100 + rank))
            return try shapes.map { shape in
                try Tensor((0..<shape.reduce(1, *)).map { _ in Float.random(in: -1...1, using: &generator) }, shape: shape)
            }
        }
        // Caps of 16 KiB / 8 KiB split the 1.6 K-element list into several buckets, each a separate allreduce.
        let buckets = try GradientBuckets(for: try gradients(rank: 0), capBytes: 16 * 1024, firstCapBytes: 8 * 1024)
        XCTAssertGreaterThan(buckets.indices.count, 2)
        let averaged = try ThreadRanks.values(worldSize: 2) { group -> [[Float]] in
            let mine = try gradients(rank: group.rank)
            try group.averageGradients(mine, buckets: buckets)
            return try mine.map { try $0.scalars(as: Float.self) }
        }
        let (first, second) = (try gradients(rank: 0), try gradients(rank: 1))
        for index in shapes.indices {
            let a = try first[index].scalars(as: Float.self), b = try second[index].scalars(as: Float.self)
            let mean = zip(a, b).map { (Double($0) + Double($1)) / 2 }
            for rank in 0..<2 {
                if let mismatch = Closeness(atol: 1e-6).mismatch(averaged[rank][index], mean) {
                    XCTFail("gradient \(index) on rank \(rank): \(mismatch)")
                }
            }
        }
    }

    func testOneRankGroupIsItsOwnSum() throws {
        let values = try ThreadRanks.values(worldSize: 1) { group -> [Float] in
            let tensor = try Tensor([Float(1.5), -2], shape: [2])
            try group.allReduceSum([tensor])
            try group.averageGradients([tensor])
            return try tensor.scalars(as: Float.self)
        }
        XCTAssertEqual(values[0], [1.5, -2])
    }

    func testInvalidCollectiveArgumentsAreRejected() throws {
        let errors = try ThreadRanks.values(worldSize: 1) { group -> [String] in
            var messages: [String] = []
            do { try group.broadcast([try Tensor([Float(1)], shape: [1])], from: 1) } catch { messages.append("\(error)") }
            do {
                try group.averageGradients([try Tensor([Float(1)], shape: [1])],
                                           buckets: try GradientBuckets(byteCounts: [4, 4], dtypes: [.float32, .float32]))
            } catch { messages.append("\(error)") }
            return messages
        }
        XCTAssertEqual(errors[0].count, 2)
        XCTAssertTrue(errors[0][0].contains("root rank 1 is outside 0..<1"), errors[0][0])
        XCTAssertTrue(errors[0][1].contains("made for 2 tensors but 1 gradients"), errors[0][1])
    }
}
