import Dispatch
import Foundation
import GraftDistributed
import GraftData
import GraftModels
import GraftNN
import GraftReport
import GraftTensor
import GraftTestSupport
import GraftText
import GraftTrain
import XCTest

/// Caching the outputs of a text encoder's frozen leading layers, whose batches differ in length, gives the training
/// of recomputing them: a small random BERT, texts of 1–14 words, the last layer unfrozen after a head epoch.
final class TextStageCacheTests: XCTestCase {
    /// One token per word, its id from the word's letters (5…39); `[CLS]` 1, `[SEP]` 2, padding 0.
    struct HashingTokenizer: TextTokenizer {
        var padId: Int32 { 0 }
        var unknownId: Int32 { 3 }

        func encode(_ text: String, pair: String?, maxLength: Int?) throws -> TokenizedText {
            let words = text.split(separator: " ").map { word in 5 + Int32(word.unicodeScalars.reduce(0) { $0 + Int($1.value) } % 35) }
            let kept = Array(words.prefix(maxLength.map { $0 - 2 } ?? words.count))
            let ids = [1] + kept + [2]
            return TokenizedText(ids: ids, typeIds: Array(repeating: 0, count: ids.count), truncatedTokens: words.count - kept.count)
        }
    }

    /// Texts whose class (0 or 1) decides which words they use, of lengths cycling through 1…14 words.
    struct Sentences: TextDataset {
        let offset: Int
        let count: Int
        var classes: [String] { ["even", "odd"] }

        func label(at index: Int) -> Int { (index + offset) % 2 }
        func text(at index: Int) -> String {
            let words = label(at: index) == 0 ? ["calm", "bright", "good", "kind"] : ["dark", "cold", "bad", "grim", "dull"]
            return (0..<(1 + (index * 5 + offset) % 14)).map { words[($0 * 3 + index) % words.count] }.joined(separator: " ")
        }
        func sampleName(at index: Int) -> String { "text \(index + offset)" }
    }

    /// Records every training batch's loss, its input length after the head epoch (the token axis: dim 2 of token
    /// rows, dim 1 of cached stage outputs) and the learner's notes.
    final class BatchRecorder: Callback {
        var losses: [Double] = []
        var lengths: [Int] = []
        var notes: [String] = []
        var cachedTrainingBatches = 0

        func prepareTrainingBatch(_ batch: LearnerBatch, for learner: Learner) throws -> LearnerBatch {
            if learner.epoch > 0 { lengths.append(batch.stagesApplied == 0 ? batch.inputs.shape[2] : batch.inputs.shape[1]) }
            return batch
        }
        func batchEnded(_ learner: Learner) throws {
            if learner.stage == .train, let loss = learner.batchLoss { losses.append(loss) }
            if learner.stage == .cacheTraining { cachedTrainingBatches += 1 }
        }
        func received(_ message: LearnerMessage, from learner: Learner) {
            if message.kind == .note { notes.append(message.text) }
        }
    }

    func train(cacheFeatures: Bool, dropout: Bool = true) throws -> (history: RunHistory, recorder: BatchRecorder, weights: [(String, Tensor)]) {
        let (learner, recorder) = try makeLearner(cacheFeatures: cacheFeatures, dropout: dropout)
        let history = try learner.fit()
        return (history, recorder, learner.model.stateDict())
    }

    /// A learner for the sentences; without `dropout` its training is deterministic whatever the batching.
    func makeLearner(cacheFeatures: Bool, dropout: Bool = true) throws -> (Learner, BatchRecorder) {
        var settings = FineTuneSettings()
        settings.epochs = 3
        settings.headEpochs = 1
        settings.unfreezeDepth = 1
        settings.batchSize = 8
        settings.cacheFeatures = cacheFeatures
        settings.maxLength = 32
        Engine.manualSeed(settings.seed)
        let configuration = try BertConfiguration(vocabSize: 40, hiddenSize: 16, numHiddenLayers: 3, numAttentionHeads: 2,
                                                  intermediateSize: 24, maxPositionEmbeddings: 32,
                                                  hiddenDropoutProb: dropout ? 0.1 : 0, attentionProbsDropoutProb: dropout ? 0.1 : 0)
        let model = try TextClassifier(name: "tiny_bert", encoder: BertEncoder(configuration), pooling: .mean, numClasses: 2)
        let data = TextTrainingData(train: Sentences(offset: 0, count: 44), validation: Sentences(offset: 1, count: 20),
                                    description: "sentences")
        let recorder = BatchRecorder()
        let learner = try Learner(model: model, data: data, tokenizer: HashingTokenizer(), settings: settings, callbacks: [recorder])
        return (learner, recorder)
    }

    /// Two data-parallel ranks (threads) each cache the frozen layers of their share of the texts, exchange the rows
    /// (padded to the longest text of either rank) and train like one process with the whole cache (no dropout: its
    /// masks depend on the batching).
    func testTwoRanksCacheTheirSharesAndTrainLikeOneProcess() throws {
        let single = try train(cacheFeatures: true, dropout: false)
        let ranks = UncheckedBox([try makeLearner(cacheFeatures: true, dropout: false), try makeLearner(cacheFeatures: true, dropout: false)])
        let port = try LoopbackPort.free()
        let outcomes = ThreadOutcomes(count: 2)
        DispatchQueue.concurrentPerform(iterations: 2) { rank in
            outcomes.set(rank, Result {
                let learner = ranks.value[rank].0
                learner.dataParallel = try DataParallel(group: ProcessGroup(masterAddress: "127.0.0.1", masterPort: port, rank: rank,
                                                                            worldSize: 2, timeout: 60))
                try learner.fit()
            })
        }
        for outcome in outcomes.values { try outcome.get() }
        let closeness = Closeness(atol: 1e-5, rtol: 1e-5)
        for (rank, (learner, recorder)) in ranks.value.enumerated() {
            XCTAssertEqual(recorder.cachedTrainingBatches, 6, "rank \(rank) cached its share (4 texts) of each of the 6 batches")
            XCTAssertEqual(single.recorder.cachedTrainingBatches, 6)
            XCTAssertEqual(learner.history.epochs.compactMap(\.validationAccuracy), single.history.epochs.compactMap(\.validationAccuracy))
            XCTAssertNil(closeness.mismatch(learner.history.epochs.compactMap(\.trainLoss), single.history.epochs.compactMap(\.trainLoss)),
                         "rank \(rank): training losses summed over the ranks")
            for ((name, a), (_, b)) in zip(learner.model.stateDict(), single.weights) where a.dtype == .float32 && !name.hasSuffix("key.bias") {
                XCTAssertNil(closeness.mismatch(try a.scalars(as: Float.self), try b.scalars(as: Float.self)), "rank \(rank): \(name)")
            }
        }
    }

    func testCachedFrozenLayersTrainLikeRecomputingThem() throws {
        let cached = try train(cacheFeatures: true)
        let recomputed = try train(cacheFeatures: false)
        XCTAssertTrue(cached.recorder.notes.contains { $0.contains("caching outputs of the 3 frozen stages of 44 training texts") },
                      "embeddings, layer0 and layer1 stay frozen while layer2 trains: \(cached.recorder.notes)")
        XCTAssertEqual(cached.history.epochs.map(\.phase), ["head", "head + layer2", "head + layer2"])
        XCTAssertEqual(cached.recorder.cachedTrainingBatches, 6, "the frozen layers ran once per text for the whole run (6 batches of 8)")
        XCTAssertTrue(cached.recorder.notes.contains("backbone features derived from the cached outputs of the 3 frozen stages"),
                      "the head epoch's embeddings come from the planned cache: \(cached.recorder.notes)")
        XCTAssertEqual(cached.recorder.lengths, recomputed.recorder.lengths, "cached batches are cut to their longest text")
        XCTAssertGreaterThan(Set(recomputed.recorder.lengths).count, 1, "the batches must differ in length for the test to mean anything")
        // Not bitwise: the frozen layers ran on differently padded batches (dataset order while caching), so their
        // reductions over the token axis may round differently.
        let closeness = Closeness(atol: 1e-5, rtol: 1e-5)
        XCTAssertEqual(cached.recorder.losses.count, 18, "3 epochs of 6 batches")
        XCTAssertEqual(cached.recorder.losses.count, recomputed.recorder.losses.count)
        XCTAssertNil(closeness.mismatch(cached.recorder.losses, recomputed.recorder.losses), "training batch losses")
        XCTAssertNil(closeness.mismatch(cached.history.epochs.compactMap(\.validationLoss), recomputed.history.epochs.compactMap(\.validationLoss)))
        XCTAssertEqual(cached.history.epochs.compactMap(\.validationLoss).count, 3)
        XCTAssertEqual(cached.history.epochs.compactMap(\.validationAccuracy), recomputed.history.epochs.compactMap(\.validationAccuracy))
        XCTAssertEqual(cached.weights.map(\.0), recomputed.weights.map(\.0))
        // An attention key bias shifts every score of a query alike, which softmax ignores: its gradient is rounding
        // noise, which AdamW scales up to full-size steps, so it is left out.
        for ((name, a), (_, b)) in zip(cached.weights, recomputed.weights) where a.dtype == .float32 && !name.hasSuffix("key.bias") {
            XCTAssertNil(closeness.mismatch(try a.scalars(as: Float.self), try b.scalars(as: Float.self)), name)
        }
    }
}
