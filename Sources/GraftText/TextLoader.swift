import Foundation
import GraftData
import GraftTensor

/// Batches a text dataset for a BERT-family model: every text is tokenised once, up front; each batch is an int64
/// [N, 3, L] tensor (ids, token type ids, attention mask) padded to its longest text. Shuffled epochs draw random
/// batches, reshuffled every epoch from the seed (or, with `bucketBatches` > 1, batch texts of similar length together:
/// see `LengthBucketing`); unshuffled ones keep dataset order. The same seed gives the same batches.
public struct TextLoader: LabeledBatchSource {
    /// Class names, in label order.
    public let classes: [String]
    /// Texts per batch (the last batch may be smaller).
    public let batchSize: Int
    /// Whether epochs visit the texts in seeded, length-bucketed order.
    public private(set) var shuffle: Bool
    /// The seed for the visiting order.
    public let seed: UInt64
    /// The most tokens per text, special tokens included.
    public let maxLength: Int
    /// How many batches' worth of texts are sorted by length together when shuffling; 1 draws random batches.
    public let bucketBatches: Int
    /// The id padding is filled with.
    public let padId: Int32
    /// How many texts were cut to `maxLength` tokens (for the run summary).
    public let truncatedCount: Int
    /// Texts the tokenizer rejected, by dataset index; they are skipped in every epoch (and reported by its batches).
    private let rejections: [Int: SkippedSample]
    private let labels: [Int]
    /// Each text's encoding, nil for a rejected text.
    private let encodings: [TokenizedText?]

    /// Tokenises every text of `dataset` (on all cores) with `tokenizer`, truncated to `maxLength` tokens. A text
    /// the tokenizer throws on is skipped under `.skip` and stops the loader under `.error`.
    ///
    /// `bucketBatches` > 1 sorts that many batches' worth of shuffled texts by length before cutting them into
    /// batches: less padding, but batches of nearly the same texts every epoch, which cost fine-tuning accuracy on
    /// Rotten Tomatoes (docs/performance.md) — hence random batches (1) by default.
    public init(dataset: some TextDataset, tokenizer: any TextTokenizer, maxLength: Int = 128, batchSize: Int,
                shuffle: Bool = true, seed: UInt64 = 0, bucketBatches: Int = 1, badInputPolicy: BadImagePolicy = .skip) throws {
        guard batchSize > 0 else { throw DataError.invalidArgument("batch size must be positive, got \(batchSize)") }
        guard maxLength >= 2 else { throw DataError.invalidArgument("maximum length must be at least 2 tokens ([CLS] and [SEP]), got \(maxLength)") }
        guard bucketBatches > 0 else { throw DataError.invalidArgument("bucket size must be at least 1 batch, got \(bucketBatches)") }
        let results = Self.tokenize(dataset, tokenizer: tokenizer, maxLength: maxLength)
        var encodings: [TokenizedText?] = []
        var rejections: [Int: SkippedSample] = [:]
        encodings.reserveCapacity(results.count)
        for (index, result) in results.enumerated() {
            switch result {
            case .success(let encoding): encodings.append(encoding)
            case .failure(let error):
                guard badInputPolicy == .skip else { throw error }
                encodings.append(nil)
                rejections[index] = SkippedSample(name: dataset.sampleName(at: index), reason: String(describing: error))
            }
        }
        self.classes = dataset.classes
        self.batchSize = batchSize
        self.shuffle = shuffle
        self.seed = seed
        self.maxLength = maxLength
        self.bucketBatches = bucketBatches
        self.padId = tokenizer.padId
        self.truncatedCount = encodings.count { ($0?.truncatedTokens ?? 0) > 0 }
        self.rejections = rejections
        self.labels = dataset.labels
        self.encodings = encodings
    }

    /// Number of texts.
    public var sampleCount: Int { labels.count }
    /// `texts`.
    public var sampleNoun: String { "texts" }
    /// False: a text's token ids are the same every epoch.
    public var variesByEpoch: Bool { false }
    /// Batches per epoch.
    public var batchCount: Int { (labels.count + batchSize - 1) / batchSize }
    /// The label of text `index`.
    public func label(at index: Int) -> Int { labels[index] }
    /// Texts the tokenizer rejected, in dataset order.
    public var rejected: [SkippedSample] { rejections.keys.sorted().compactMap { rejections[$0] } }
    /// The encoding of text `index`; nil when the tokenizer rejected it.
    public func encoding(at index: Int) -> TokenizedText? { encodings[index] }

    /// The dataset indices of one epoch in visiting order; cut into `batchSize` pieces it gives the batches.
    public func order(epoch: Int) -> [Int] {
        guard shuffle else { return Array(labels.indices) }
        return LengthBucketing.order(lengths: encodings.map { $0?.count ?? 0 }, batchSize: batchSize,
                                     chunkBatches: bucketBatches, seed: seed, epoch: epoch)
    }

    /// The same loader visiting the texts in dataset order.
    public func inDatasetOrder() -> TextLoader {
        var copy = self
        copy.shuffle = false
        return copy
    }

    /// The batches `groups` (dataset indices); texts do not vary by epoch.
    public func labeledBatches(groups: [[Int]], epoch: Int) -> any LabeledBatchIterator {
        TextBatches(loader: self, batches: groups)
    }

    /// Assembles one batch from `indices`; rejected texts are left out and returned as skipped.
    func assemble(_ indices: [Int], group: Int, on device: Device) throws -> (batch: LabeledTensors?, skipped: [SkippedSample]) {
        let kept = indices.filter { encodings[$0] != nil }
        let skipped = indices.compactMap { rejections[$0] }
        guard !kept.isEmpty else { return (nil, skipped) }
        let inputs = try TokenRows.tensor(kept.compactMap { encodings[$0] }, padId: padId, on: device)
        let targets = try Tensor(kept.map { Int64(labels[$0]) }, shape: [kept.count])
        let batch = LabeledTensors(inputs: inputs, labels: device == .cpu ? targets : try targets.to(device: device), sampleIndices: kept, group: group)
        return (batch, skipped)
    }

    /// Every text's encoding (or the tokenizer's error), in dataset order.
    private static func tokenize(_ dataset: some TextDataset, tokenizer: any TextTokenizer,
                                 maxLength: Int) -> [Result<TokenizedText, any Error>] {
        let results = ParallelResults<Result<TokenizedText, any Error>>(count: dataset.count)
        let chunk = 256
        DispatchQueue.concurrentPerform(iterations: (dataset.count + chunk - 1) / chunk) { part in
            for index in (part * chunk)..<min((part + 1) * chunk, dataset.count) {
                results.set(index, Result {
                    let encoding = try tokenizer.encode(dataset.text(at: index), pair: nil, maxLength: maxLength)
                    // Packing reads one type id per id; a tokenizer breaking that is refused here, not trapped on later.
                    guard encoding.typeIds.count == encoding.ids.count else {
                        throw DataError.invalidArgument("the tokenizer returned \(encoding.ids.count) ids but \(encoding.typeIds.count) token type ids")
                    }
                    return encoding
                })
            }
        }
        return results.values.compactMap { $0 }  // concurrentPerform returns after every index was set
    }
}
