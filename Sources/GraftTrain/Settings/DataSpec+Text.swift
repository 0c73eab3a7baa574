import Foundation
import GraftData
import GraftText

extension DataSpec {
    /// Opens the labelled texts (a CSV, TSV or JSON-lines file, or a folder of `.txt` files per class) with the
    /// settings' columns and bad-input policy: a separate validation file, or a stratified seeded `validationSplit`
    /// of the training file; then the sample limits; `classes` keeps only rows with those labels. Texts are tokenised
    /// later, by the learner's loaders.
    public func loadTexts(settings: FineTuneSettings) throws -> TextTrainingData {
        guard (0..<1).contains(validationSplit) else {
            throw TrainingError.invalidSetting("validationSplit", "validationSplit must be in [0, 1) (got \(validationSplit))")
        }
        var options = settings.textReadingOptions()
        options.onlyLabels = classes.map(Set.init)
        let all = try LabeledTexts(contentsOf: source, options: options)
        var skipped = all.skipped
        var train: any TextDataset = all, validation: any TextDataset
        if let path = self.validation {
            var heldOptions = settings.textReadingOptions(classes: all.classes)
            heldOptions.onlyLabels = options.onlyLabels
            let held = try LabeledTexts(contentsOf: path, options: heldOptions)
            skipped += held.skipped
            validation = held
        } else {
            let parts = try all.split(validationFraction: validationSplit, seed: settings.seed)
            guard !parts.validation.indices.isEmpty else {
                throw TrainingError.invalidSetting("validationSplit", "validationSplit \(validationSplit) leaves no validation texts; raise it or give a separate validation file")
            }
            (train, validation) = (parts.train, parts.validation)
        }
        if let trainLimit { train = try Self.limit(train, to: trainLimit, seed: settings.seed) }
        if let validationLimit { validation = try Self.limit(validation, to: validationLimit, seed: settings.seed &+ 1) }
        return TextTrainingData(
            train: train, validation: validation,
            description: "\(source): \(train.count) train / \(validation.count) validation texts, \(train.classes.count) classes"
                + (all.excluded > 0 ? " (\(all.excluded) rows of other classes left out)" : ""),
            skipped: skipped)
    }

    /// A stratified seeded subset of about `n` texts (all of them when there are fewer).
    public static func limit<Texts: TextDataset>(_ dataset: Texts, to n: Int, seed: UInt64) throws -> any TextDataset {
        guard n >= 1 else { throw TrainingError.invalidConfiguration("a sample limit must be at least 1 (got \(n))") }
        guard n < dataset.count else { return dataset }
        return try dataset.split(validationFraction: Double(n) / Double(dataset.count), seed: seed).validation
    }
}
