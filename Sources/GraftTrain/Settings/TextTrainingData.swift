import GraftData
import GraftText

/// The labelled texts a run trains and validates on (tokenised later, by the learner's loaders, with the model's
/// tokenizer).
public struct TextTrainingData: Sendable {
    /// Training texts.
    public var train: any TextDataset
    /// Validation texts.
    public var validation: any TextDataset
    /// A one-line description for reports, e.g. `reviews.csv: 800 train / 200 validation texts, 2 classes`.
    public var description: String
    /// Rows left out while reading the files (no text, no label, bytes that are not UTF-8, …), reported once.
    public var skipped: [SkippedSample]

    /// Bundles the parts.
    public init(train: any TextDataset, validation: any TextDataset, description: String, skipped: [SkippedSample] = []) {
        self.train = train
        self.validation = validation
        self.description = description
        self.skipped = skipped
    }
}
