import GraftData
import GraftModels
import GraftText

extension Learner {
    /// The learner `settings` describe for a text classifier (see `init(model:data:settings:callbacks:)` for images:
    /// the same phases, optimizer, schedule, loss, callbacks and caching — head-only epochs run on the cached pooled
    /// embeddings, later ones on the cached outputs of the still-frozen layers, so the frozen part runs once per text
    /// and phase). Every text is tokenised once, up front, with `tokenizer` (the model's, e.g.
    /// `PretrainedTextModel.tokenizer`), truncated to `settings.maxLength` tokens (default
    /// `FineTuneSettings.defaultMaxLength`); training batches are random, each padded to its longest text (for
    /// length-bucketed batches pass a `TextLoader` with `bucketBatches` to `init(model:trainLoader:validationLoader:…)`). Mixup and CutMix mix images and are refused here; the image augmentation settings do not apply.
    public convenience init(model: Classifier, data: TextTrainingData, tokenizer: any TextTokenizer, settings: FineTuneSettings,
                            callbacks: [Callback] = []) throws {
        try settings.validate()
        let maxLength = settings.maxLength ?? FineTuneSettings.defaultMaxLength
        if let positions = (model as? TextClassifier)?.encoder.configuration.maxPositionEmbeddings, maxLength > positions {
            throw TrainingError.invalidSetting("maxLength", "maxLength \(maxLength) exceeds \(model.name)'s \(positions) position embeddings")
        }
        if settings.mixesBatches {
            let setting = settings.mixup > 0 ? "mixup" : "cutmix"
            throw TrainingError.invalidSetting(setting, "\(setting) mixes images; a text model's batches are token ids, so leave it at 0")
        }
        let policy: BadImagePolicy = settings.skipBadImages ? .skip : .error
        let trainLoader = try TextLoader(dataset: data.train, tokenizer: tokenizer, maxLength: maxLength,
                                         batchSize: settings.batchSize, shuffle: true, seed: settings.seed, badInputPolicy: policy)
        let validationLoader = try TextLoader(dataset: data.validation, tokenizer: tokenizer, maxLength: maxLength,
                                              batchSize: settings.batchSize, shuffle: false, seed: settings.seed, badInputPolicy: policy)
        try self.init(model: model, trainLoader: trainLoader, validationLoader: validationLoader, settings: settings, callbacks: callbacks)
        let truncated = trainLoader.truncatedCount + validationLoader.truncatedCount
        let summary = "\(truncated) of \(data.train.count + data.validation.count) texts truncated to \(maxLength) tokens"
        history.data = data.description + (truncated > 0 ? "; " + summary : "")
        if truncated > 0 {
            pitfalls.append(summary + " (their ends are not seen); raise `maxLength` (at a higher cost per text) if the ends matter")
        }
    }
}
