import GraftData
import GraftText

/// The texts a run trains and validates on, with the tokenizer that turns them into token ids.
public struct TextTrainingData: Sendable {
    /// Training texts.
    public var train: any TextDataset
    /// Validation texts.
    public var validation: any TextDataset
    /// The model's tokenizer.
    public var tokenizer: any TextTokenizer
    /// The most tokens per text, special tokens included; longer texts are truncated.
    public var maxLength: Int
    /// A one-line description for reports, e.g. `reviews.csv: 800 train / 200 validation texts, 2 classes`.
    public var description: String
    /// Rows left out while reading the files (no text, no label, bytes that are not UTF-8, …), reported once.
    public var skipped: [SkippedSample]

    /// Bundles the parts.
    public init(train: any TextDataset, validation: any TextDataset, tokenizer: any TextTokenizer, maxLength: Int,
                description: String, skipped: [SkippedSample] = []) {
        self.train = train
        self.validation = validation
        self.tokenizer = tokenizer
        self.maxLength = maxLength
        self.description = description
        self.skipped = skipped
    }
}
