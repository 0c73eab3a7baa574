import GraftData
import GraftTensor
import GraftText
import XCTest

final class TextLoaderTests: XCTestCase {
    private func collect(_ loader: TextLoader, epoch: Int) throws -> (batches: [LabeledTensors], skipped: [SkippedSample]) {
        let iterator = loader.labeledBatches(epoch: epoch)
        var batches: [LabeledTensors] = []
        while let batch = try iterator.next(on: .cpu) { batches.append(batch) }
        return (batches, iterator.skipped)
    }

    func testBatchesPadToTheLongestTextWithTypeIdsAndMask() throws {
        let dataset = TextList(texts: ["a", "bb ccc dddd", "ee ff", "g"], labels: [1, 0, 1, 0], classes: ["x", "y"])
        let loader = try TextLoader(dataset: dataset, tokenizer: WordTokenizer(), batchSize: 3, shuffle: false)
        XCTAssertEqual(loader.sampleNoun, "texts")
        XCTAssertEqual(loader.batchCount, 2)
        let (batches, skipped) = try collect(loader, epoch: 0)
        XCTAssertEqual(skipped, [])
        XCTAssertEqual(batches.count, 2)
        let first = batches[0]
        XCTAssertEqual(first.inputs.shape, [3, 3, 5])
        XCTAssertEqual(first.inputs.dtype, .int64)
        XCTAssertEqual(first.sampleIndices, [0, 1, 2])
        XCTAssertEqual(try first.labels.scalars(as: Int64.self), [1, 0, 1])
        XCTAssertEqual(try first.inputs.scalars(as: Int64.self), [
            101, 1001, 102, 0, 0, /**/ 0, 0, 0, 0, 0, /**/ 1, 1, 1, 0, 0,
            101, 1002, 1003, 1004, 102, /**/ 0, 0, 0, 0, 0, /**/ 1, 1, 1, 1, 1,
            101, 1002, 1002, 102, 0, /**/ 0, 0, 0, 0, 0, /**/ 1, 1, 1, 1, 0,
        ])
        XCTAssertEqual(batches[1].inputs.shape, [1, 3, 3])
        XCTAssertEqual(batches[1].sampleIndices, [3])
    }

    func testTruncationToMaxLengthIsCounted() throws {
        let dataset = TextList(texts: [sentence(words: 3), sentence(words: 10), sentence(words: 6), sentence(words: 4)],
                               labels: [0, 1, 0, 1], classes: ["x", "y"])
        let loader = try TextLoader(dataset: dataset, tokenizer: WordTokenizer(), maxLength: 6, batchSize: 4, shuffle: false)
        XCTAssertEqual(loader.truncatedCount, 2)
        XCTAssertEqual(loader.encoding(at: 1)?.count, 6)
        XCTAssertEqual(loader.encoding(at: 1)?.truncatedTokens, 6)
        XCTAssertEqual(try collect(loader, epoch: 0).batches[0].inputs.shape, [4, 3, 6])
        XCTAssertEqual(try TextLoader(dataset: dataset, tokenizer: WordTokenizer(), batchSize: 4).truncatedCount, 0)
        XCTAssertThrowsError(try TextLoader(dataset: dataset, tokenizer: WordTokenizer(), maxLength: 1, batchSize: 4))
        XCTAssertThrowsError(try TextLoader(dataset: dataset, tokenizer: WordTokenizer(), batchSize: 0)) {
            XCTAssertEqual("\($0)", "batch size must be positive, got 0")
        }
    }

    /// 1000 texts of 1...60 words, batches of 16.
    private func variedLoader(seed: UInt64 = 3, shuffle: Bool = true) throws -> TextLoader {
        var random = SeededRandom(seed: 42)
        let lengths = (0..<1000).map { _ in 1 + random.nextInt(below: 60) }
        let dataset = TextList(texts: lengths.map(sentence(words:)), labels: lengths.map { $0 % 3 }, classes: ["a", "b", "c"])
        return try TextLoader(dataset: dataset, tokenizer: WordTokenizer(), batchSize: 16, shuffle: shuffle, seed: seed, bucketBatches: 10)
    }

    func testEveryTextOncePerEpochAndOrderMatchesTheBatches() throws {
        let loader = try variedLoader()
        for epoch in 0..<3 {
            let order = loader.order(epoch: epoch)
            XCTAssertEqual(order.sorted(), Array(0..<1000))
            let batches = try collect(loader, epoch: epoch).batches
            XCTAssertEqual(batches.count, loader.batchCount)
            XCTAssertEqual(batches.flatMap(\.sampleIndices), order)
            XCTAssertEqual(batches.map(\.count), Array(repeating: 16, count: 62) + [8], "only the last batch is smaller")
            for batch in batches {
                XCTAssertEqual(try batch.labels.scalars(as: Int64.self), batch.sampleIndices.map { Int64(loader.label(at: $0)) })
            }
        }
        XCTAssertEqual(loader.inDatasetOrder().order(epoch: 4), Array(0..<1000))
        XCTAssertEqual(try collect(loader.inDatasetOrder(), epoch: 1).batches.flatMap(\.sampleIndices), Array(0..<1000))
    }

    func testSameSeedSameBatchesNewEpochNewOrder() throws {
        let loader = try variedLoader(seed: 3)
        XCTAssertEqual(loader.order(epoch: 0), try variedLoader(seed: 3).order(epoch: 0))
        let first = try collect(loader, epoch: 0).batches, again = try collect(try variedLoader(seed: 3), epoch: 0).batches
        for (a, b) in zip(first, again) {
            XCTAssertEqual(try a.inputs.scalars(as: Int64.self), try b.inputs.scalars(as: Int64.self))
        }
        XCTAssertNotEqual(loader.order(epoch: 0), loader.order(epoch: 1))
        XCTAssertNotEqual(loader.order(epoch: 0), try variedLoader(seed: 4).order(epoch: 0))
        let batchSets = { (epoch: Int) in Set(try self.collect(loader, epoch: epoch).batches.map { Set($0.sampleIndices) }) }
        XCTAssertTrue(try batchSets(0).isDisjoint(with: try batchSets(1)), "epochs must regroup the texts, not only reorder batches")
    }

    func testBucketingBatchesSimilarLengthsTogether() throws {
        let bucketed = try variedLoader()
        let lengths = (0..<1000).map { bucketed.encoding(at: $0)?.count ?? 0 }
        func paddedTokens(_ order: [Int]) -> Int {
            stride(from: 0, to: order.count, by: 16).map { start in
                let batch = order[start..<min(start + 16, order.count)].map { lengths[$0] }
                return batch.count * (batch.max() ?? 0) - batch.reduce(0, +)
            }.reduce(0, +)
        }
        var random = SeededRandom(seed: 9)
        var plain = Array(0..<1000)
        random.shuffle(&plain)
        let bucketedPadding = paddedTokens(bucketed.order(epoch: 0)), plainPadding = paddedTokens(plain)
        // Sorting 160-text chunks leaves a few tokens of spread per batch; random batches of 1...60 words pad ~25 each.
        XCTAssertLessThan(bucketedPadding * 5, plainPadding, "bucketed \(bucketedPadding) vs random \(plainPadding) padding tokens")
        for batch in try collect(bucketed, epoch: 0).batches {
            let batchLengths = batch.sampleIndices.map { lengths[$0] }
            XCTAssertEqual(batch.inputs.shape[2], batchLengths.max(), "padded to the batch's longest text")
        }
    }

    func testTextsTheTokenizerRejectsAreSkippedEveryEpochOrStopTheLoader() throws {
        let dataset = TextList(texts: ["fine", "bad ☠", "good", "☠"], labels: [0, 1, 1, 0], classes: ["x", "y"])
        let loader = try TextLoader(dataset: dataset, tokenizer: WordTokenizer(), batchSize: 2, shuffle: false)
        let expected = [SkippedSample(name: "text 1", reason: "text contains ☠"), SkippedSample(name: "text 3", reason: "text contains ☠")]
        XCTAssertEqual(loader.rejected, expected)
        for epoch in 0..<2 {
            let (batches, skipped) = try collect(loader, epoch: epoch)
            XCTAssertEqual(batches.map(\.sampleIndices), [[0], [2]])
            XCTAssertEqual(skipped, expected)
        }
        XCTAssertThrowsError(try TextLoader(dataset: dataset, tokenizer: WordTokenizer(), batchSize: 2, badInputPolicy: .error)) {
            XCTAssertEqual("\($0)", "text contains ☠")
        }
    }
}
