import GraftData
import GraftModels
import GraftText

extension Evaluator {
    /// Predictions for every text of `texts` (tokenised with `tokenizer`, truncated to `maxLength` tokens, batched in
    /// dataset order), computed on the model's device; a text the tokenizer rejects is skipped and listed.
    public static func run(
        model: Classifier, texts: some TextDataset, tokenizer: any TextTokenizer, maxLength: Int, batchSize: Int = 64,
        progress: (Int, Int) -> Void = { _, _ in }
    ) throws -> Predictions {
        let loader = try TextLoader(dataset: texts, tokenizer: tokenizer, maxLength: maxLength, batchSize: batchSize, shuffle: false)
        return try run(model: model, source: loader, dataset: texts, progress: progress)
    }

    /// Predictions of a text model's checkpoint for `texts`, with the tokenizer and token limit it holds; throws for a
    /// checkpoint of an image model.
    public static func run(checkpoint: LoadedCheckpoint, texts: some TextDataset, batchSize: Int = 64,
                           progress: (Int, Int) -> Void = { _, _ in }) throws -> Predictions {
        guard let text = checkpoint.metadata.text else {
            throw TrainingError.invalidConfiguration("the checkpoint holds the image model \(checkpoint.metadata.model); give it images")
        }
        return try run(model: checkpoint.model(), texts: texts, tokenizer: text.tokenizer(), maxLength: text.maxLength,
                       batchSize: batchSize, progress: progress)
    }
}
