import GraftData
import GraftModels
import GraftTensor
import GraftText

extension Evaluator {
    /// Predictions for every text of `texts` (tokenised with `tokenizer`, truncated to `maxLength` tokens, batched in
    /// dataset order), computed on the model's device in `precision`; a text the tokenizer rejects is skipped and
    /// listed.
    public static func run(
        model: Classifier, texts: some TextDataset, tokenizer: any TextTokenizer, maxLength: Int, batchSize: Int = 64,
        precision: Precision = .fp32, progress: (Int, Int) -> Void = { _, _ in }
    ) throws -> Predictions {
        let loader = try TextLoader(dataset: texts, tokenizer: tokenizer, maxLength: maxLength, batchSize: batchSize, shuffle: false)
        return try run(model: model, source: loader, dataset: texts, precision: precision, progress: progress)
    }

    /// Predictions of a text model's checkpoint for `texts`, with the tokenizer and token limit it holds, computed on
    /// `device` in `precision`; throws for a checkpoint of an image model.
    public static func run(checkpoint: LoadedCheckpoint, texts: some TextDataset, batchSize: Int = 64, device: Device = .cpu,
                           precision: Precision = .fp32, progress: (Int, Int) -> Void = { _, _ in }) throws -> Predictions {
        guard let text = checkpoint.metadata.text else {
            throw TrainingError.invalidConfiguration("the checkpoint holds the image model \(checkpoint.metadata.model); give it images")
        }
        let model = try checkpoint.model()
        try model.to(device)
        return try run(model: model, texts: texts, tokenizer: text.tokenizer(), maxLength: text.maxLength,
                       batchSize: batchSize, precision: precision, progress: progress)
    }
}
