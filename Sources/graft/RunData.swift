import GraftData
import GraftModels
import GraftReport
import GraftText
import GraftTrain

/// What a `graft train` run learns from: images with their preprocessing, or texts with their tokenizer.
enum RunData {
    case images(TrainingData)
    case texts(TextTrainingData, tokenizer: any TextTokenizer, maxLength: Int)

    /// A one-line description for the report.
    var description: String {
        switch self {
        case .images(let data): data.description
        case .texts(let data, _, _): data.description
        }
    }

    /// The model's predictions on the validation set, in its order.
    func validationPredictions(model: Classifier, batchSize: Int) throws -> Predictions {
        switch self {
        case .images(let data):
            guard let model = model as? ImageClassifier else { throw TrainingError.invalidConfiguration("an image run needs an image model") }
            return try Evaluator.run(model: model, dataset: data.validation, transform: data.evalTransform, batchSize: batchSize)
        case .texts(let data, let tokenizer, let maxLength):
            return try Evaluator.run(model: model, texts: data.validation, tokenizer: tokenizer, maxLength: maxLength, batchSize: batchSize)
        }
    }

    /// The report lines that depend on the kind of data: BatchNorm and augmentation for images, tokens for texts.
    func details(_ settings: FineTuneSettings, model: Classifier) -> [RunDetail] {
        switch self {
        case .images:
            return [
                RunDetail("BatchNorm", settings.batchNorm.rawValue),
                RunDetail("Augmentation", settings.augmentation.rawValue + (settings.flip ? "" : ", no flips")
                    + (settings.mixup > 0 ? ", mixup α \(settings.mixup)" : "") + (settings.cutmix > 0 ? ", CutMix α \(settings.cutmix)" : "")),
            ]
        case .texts(_, _, let maxLength):
            let pooling = (model as? TextClassifier)?.pooling.rawValue ?? "?"
            return [RunDetail("Text", "at most \(maxLength) tokens per text, \(pooling) pooling, batches padded to their longest text")]
        }
    }
}
