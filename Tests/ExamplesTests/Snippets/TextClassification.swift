import Foundation
import Graft

/// The text article's program (ClassifyingTexts.md): all-MiniLM-L6-v2 fine-tuned on a CSV of labelled texts, then
/// used on new texts from its best checkpoint.
enum TextClassificationExample {
    /// What the program produced, for the test to check.
    struct Outcome {
        let learner: Learner
        let predictions: Predictions
    }

    static func run(trainFile: String, validationFile: String, newTexts: [String], runDirectory: URL) throws -> Outcome {
        // snippet: train
        // Head-only epochs on cached sentence embeddings, then the top encoder layer at a smaller rate.
        let settings = FineTuneSettings(epochs: 3, headEpochs: 2, unfreezeDepth: 1, maxLength: 64)
        let data = try DataSpec(source: trainFile, validation: validationFile).loadTexts(settings: settings)

        // The offline all-MiniLM-L6-v2 folder: encoder weights, tokenizer, mean pooling; a new seeded head.
        let pretrained = try PretrainedTextModel("minilm_l6", numClasses: data.train.classes.count, seed: settings.seed)
        let store = try RunStore(
            directory: runDirectory, data: nil,
            text: TextModelMetadata(model: pretrained.model, maxLength: 64, tokenizerFolder: pretrained.folder))
        let learner = try Learner(model: pretrained.model, data: data, tokenizer: pretrained.tokenizer, settings: settings,
                                  callbacks: [CheckpointCallback(store: store), ProgressCallback()])
        try learner.fit()
        // snippet: end

        // snippet: predict
        let best = try LoadedCheckpoint(contentsOf: store.bestURL)  // holds the tokenizer and encoder configuration
        let texts = try UnlabeledTexts(texts: newTexts, classes: best.metadata.classes)
        let predictions = try Evaluator.run(checkpoint: best, texts: texts)
        for (text, (top, scores)) in zip(newTexts, zip(predictions.predicted, predictions.probabilities)) {
            print(String(format: "%@ → %@ (%.1f%%)", text, best.metadata.classes[top], scores[top] * 100))
        }
        // snippet: end
        return Outcome(learner: learner, predictions: predictions)
    }
}
