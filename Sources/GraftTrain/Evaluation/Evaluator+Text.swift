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
}
