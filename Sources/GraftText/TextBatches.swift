import GraftData
import GraftTensor

/// The batches of one `TextLoader` epoch, assembled on the caller's thread (the texts are already tokenised, so
/// a batch is one copy into a tensor).
final class TextBatches: LabeledBatchIterator {
    private let loader: TextLoader
    private let batches: [[Int]]
    private var position = 0
    /// Texts the tokenizer rejected, met so far this epoch.
    private(set) var skipped: [SkippedSample] = []

    init(loader: TextLoader, batches: [[Int]]) {
        self.loader = loader
        self.batches = batches
    }

    func next(on device: Device) throws -> LabeledTensors? {
        while position < batches.count {
            let (batch, skippedHere) = try loader.assemble(batches[position], group: position, on: device)
            position += 1
            skipped += skippedHere
            if let batch { return batch }
        }
        return nil
    }
}
