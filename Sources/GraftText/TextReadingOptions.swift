import GraftData

/// How a labelled text file is read: which columns hold the text and the label, the classes to resolve labels
/// against, and what to do with a bad row.
public struct TextReadingOptions: Sendable {
    /// The column (CSV/TSV header name, JSON key) holding the text.
    public var textColumn: String
    /// The column holding the label: a class name, or a class index written as a number.
    public var labelColumn: String
    /// The classes labels must name (e.g. a checkpoint's, for evaluation); a label outside them is an error. Nil:
    /// the classes found in the file (see `ClassNames.infer`), which must be at least two.
    public var classes: [String]?
    /// Only rows whose label is one of these are read (the others are counted in `LabeledTexts.excluded`, not as
    /// bad input): training on a subset of a file's labels. Nil reads every row.
    public var onlyLabels: Set<String>?
    /// `.skip`: a row with a missing or empty text, a missing label or bytes that are not UTF-8 is left out and
    /// counted; `.error`: it stops the reading with an error naming the file and line.
    public var badInputPolicy: BadImagePolicy

    /// Options with the usual column names `text` and `label`.
    public init(textColumn: String = "text", labelColumn: String = "label", classes: [String]? = nil,
                badInputPolicy: BadImagePolicy = .skip) {
        self.textColumn = textColumn
        self.labelColumn = labelColumn
        self.classes = classes
        self.badInputPolicy = badInputPolicy
    }
}
