import GraftData
import GraftText

extension FineTuneSettings {
    /// How these settings read a text dataset: their columns and bad-input policy, labels resolved against
    /// `classes` when given (a checkpoint's, or the training set's for a separate validation file).
    public func textReadingOptions(classes: [String]? = nil) -> TextReadingOptions {
        TextReadingOptions(textColumn: textColumn, labelColumn: labelColumn, classes: classes,
                           badInputPolicy: skipBadImages ? .skip : .error)
    }
}
