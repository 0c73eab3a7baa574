import GraftData

/// A random-access collection of labelled texts.
public protocol TextDataset: LabeledDataset {
    /// The text of sample `index` (0..<count).
    func text(at index: Int) -> String
}

extension DatasetSubset: TextDataset where Base: TextDataset {
    /// The text of selected sample `index`.
    public func text(at index: Int) -> String { base.text(at: indices[index]) }
}

/// One text, its label and where it came from.
public struct TextSample: Sendable, Equatable {
    /// The text.
    public let text: String
    /// Index into the dataset's classes.
    public let label: Int
    /// `file:line` for a row of a table, the file's path for a text file.
    public let name: String

    /// Bundles a sample.
    public init(text: String, label: Int, name: String) {
        self.text = text
        self.label = label
        self.name = name
    }
}
