import Foundation
import XCTest
@testable import GraftData

/// `for batch in loader`: each loop is the next epoch, and an error under `.error` surfaces through `tensors()`.
final class LoaderSequenceTests: XCTestCase {
    func testEachLoopIsTheNextEpochInOrder() throws {
        let transform = try TransformPipeline.trainTransform(inputSize: 32, resizeSize: 40)
        let loader = try DataLoader(dataset: SyntheticDataset(count: 11), transform: transform, batchSize: 4, workers: 2, seed: 5)
        var loops: [[Batch]] = []
        for _ in 0..<2 {
            var batches: [Batch] = []
            for batch in loader { batches.append(batch) }
            loops.append(batches)
        }
        for (epoch, loop) in loops.enumerated() {
            let explicit = loader.batches(epoch: epoch)
            var expected: [Batch] = []
            while let batch = try explicit.next() { expected.append(batch) }
            XCTAssertEqual(loop.map(\.sampleIndices), expected.map(\.sampleIndices), "loop \(epoch) is epoch \(epoch)")
            XCTAssertTrue(loop.map(\.images) == expected.map(\.images), "with epoch \(epoch)'s augmentations")
        }
        XCTAssertNotEqual(loops[0].flatMap(\.sampleIndices), loops[1].flatMap(\.sampleIndices), "reshuffled per loop")
        XCTAssertEqual(loops[0].map(\.count), [4, 4, 3])
        XCTAssertEqual(try loops[0][0].tensors().images.shape, [4, 3, 32, 32])
    }

    func testAnErrorEndsTheLoopWithABatchThatThrowsIt() throws {
        let transform = try TransformPipeline.evalTransform(inputSize: 32, resizeSize: 32)
        let dataset = SyntheticDataset(count: 12, failing: [5])
        let loader = try DataLoader(dataset: dataset, transform: transform, batchSize: 4, shuffle: false, workers: 2, badImagePolicy: .error)
        var batches: [Batch] = []
        for batch in loader { batches.append(batch) }
        XCTAssertEqual(batches.count, 2, "the first batch, then the failed one; nothing after it")
        XCTAssertNoThrow(try batches[0].tensors())
        XCTAssertNotNil(batches[1].failure)
        XCTAssertThrowsError(try batches[1].tensors()) { error in
            XCTAssertTrue("\(error)".contains("synthetic/5.png"), "\(error)")
        }
        let skipping = try DataLoader(dataset: dataset, transform: transform, batchSize: 4, shuffle: false, workers: 2)
        XCTAssertEqual(Array(skipping).map(\.count), [4, 3, 4], "under .skip the bad image is left out")
    }
}
