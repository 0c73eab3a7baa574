import Foundation
import XCTest
@testable import GraftData

final class LoaderTests: XCTestCase {

    private func collect(_ loader: DataLoader<SyntheticDataset>, epoch: Int) throws -> [Batch] {
        let batches = loader.batches(epoch: epoch)
        var result: [Batch] = []
        while let batch = try batches.next() { result.append(batch) }
        return result
    }

    func testSameSeedGivesSameBatchesForAnyWorkerCount() throws {
        let transform = try TransformPipeline.trainTransform(inputSize: 32, resizeSize: 40)
        let dataset = SyntheticDataset(count: 23)
        var runs: [[Batch]] = []
        for workers in [0, 1, 2, 3] {
            let loader = try DataLoader(dataset: dataset, transform: transform, batchSize: 4, workers: workers, seed: 42)
            runs.append(try collect(loader, epoch: 0) + collect(loader, epoch: 1))
        }
        for run in runs.dropFirst() {
            XCTAssertEqual(run.map(\.labels), runs[0].map(\.labels))
            XCTAssertEqual(run.map(\.sampleIndices), runs[0].map(\.sampleIndices))
            XCTAssertTrue(run.map(\.images) == runs[0].map(\.images), "augmentations must not depend on workers")
        }
        let epochs = (runs[0].prefix(6).flatMap(\.sampleIndices), runs[0].suffix(6).flatMap(\.sampleIndices))
        XCTAssertNotEqual(epochs.0, epochs.1, "each epoch is reshuffled")
        XCTAssertEqual(epochs.0.sorted(), Array(0..<23))
        let otherSeed = try DataLoader(dataset: dataset, transform: transform, batchSize: 4, workers: 2, seed: 43)
        XCTAssertNotEqual(try collect(otherSeed, epoch: 0).flatMap(\.sampleIndices), epochs.0)
    }

    func testBatchShapesLabelsAndDropLast() throws {
        let transform = try TransformPipeline.trainTransform(inputSize: 32, resizeSize: 40)
        let dataset = SyntheticDataset(count: 10)
        let loader = try DataLoader(dataset: dataset, transform: transform, batchSize: 4, shuffle: false, workers: 2)
        let batches = try collect(loader, epoch: 0)
        XCTAssertEqual(batches.map(\.shape), [[4, 3, 32, 32], [4, 3, 32, 32], [2, 3, 32, 32]])
        XCTAssertEqual(batches[0].labels, [0, 1, 0, 1])
        XCTAssertEqual(batches[0].images.count, 4 * 3 * 32 * 32)
        XCTAssertEqual(batches.flatMap(\.sampleIndices), Array(0..<10))
        // The first image equals the pipeline applied on its own with that sample's generator.
        var random = SeededRandom(seed: 0, epoch: 0, index: 0)
        let alone = try transform.apply(try dataset.loadImage(at: 0, minimumShorterSide: nil), random: &random)
        XCTAssertEqual(Array(batches[0].images.prefix(alone.values.count)), alone.values)
        var copy = [Float](repeating: 0, count: batches[0].images.count)
        try copy.withUnsafeMutableBufferPointer { try batches[0].copyImages(into: $0) }
        XCTAssertEqual(copy, batches[0].images)

        let dropping = try DataLoader(dataset: dataset, transform: transform, batchSize: 4, dropLast: true, workers: 2)
        XCTAssertEqual(dropping.batchCount, 2)
        XCTAssertEqual(try collect(dropping, epoch: 0).map(\.count), [4, 4])
        XCTAssertThrowsError(try DataLoader(dataset: dataset, transform: transform, batchSize: 0))
    }

    func testPrefetchQueueStaysBounded() throws {
        let transform = try TransformPipeline.trainTransform(inputSize: 32, resizeSize: 40)
        let counter = LoadCounter()
        let dataset = SyntheticDataset(count: 60, loads: counter)
        let loader = try DataLoader(dataset: dataset, transform: transform, batchSize: 2, workers: 2, prefetchBatches: 2)
        let batches = loader.batches(epoch: 0)
        XCTAssertNotNil(try batches.next())
        Thread.sleep(forTimeInterval: 0.3)
        // One delivered batch plus at most two prefetched ones.
        XCTAssertLessThanOrEqual(counter.count, 6)
        var delivered = 1
        while try batches.next() != nil { delivered += 1 }
        XCTAssertEqual(delivered, 30)
        XCTAssertEqual(counter.count, 60)
    }

    func testInconsistentOutputSizesAreAConfigurationError() throws {
        let resizeOnly = TransformPipeline([Resize(shorterSide: 20)], normalize: nil)
        let loader = try DataLoader(dataset: SyntheticDataset(count: 8), transform: resizeOnly, batchSize: 8, workers: 1)
        XCTAssertThrowsError(try collect(loader, epoch: 0)) { XCTAssertTrue("\($0)".contains("end the pipeline with a crop"), "\($0)") }
    }
}
