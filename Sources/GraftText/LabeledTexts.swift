import Foundation
import GraftData

/// Labelled texts read from a file or folder: a CSV or TSV table, JSON lines, or a folder of `.txt` files per class.
public struct LabeledTexts: TextDataset {
    /// The file or folder read.
    public let source: String
    /// Class names, in label order.
    public let classes: [String]
    /// The usable texts, in file order.
    public let samples: [TextSample]
    /// Rows or files left out as bad input (`name` is `file:line` or the file's path).
    public let skipped: [SkippedSample]
    /// Rows left out because their label is not among `TextReadingOptions.onlyLabels`.
    public let excluded: Int

    /// Bundles samples already read (see `TextRowCollector`).
    init(source: String, classes: [String], samples: [TextSample], skipped: [SkippedSample], excluded: Int) {
        self.source = source
        self.classes = classes
        self.samples = samples
        self.skipped = skipped
        self.excluded = excluded
    }

    /// Reads `path` by its kind: `.csv`, `.tsv`, `.jsonl` / `.ndjson` (case-insensitive), or a folder of class
    /// folders holding `.txt` files. Throws `DataError` naming the file (and line) for unreadable or malformed input.
    public init(contentsOf path: String, options: TextReadingOptions = TextReadingOptions()) throws {
        let lowered = path.lowercased()
        guard FileManager.default.fileExists(atPath: path) else {
            throw DataError.unreadableFile(path: path, reason: "No such file or directory")
        }
        if RawFileName.isDirectory(path) {
            self = try Self.readFolder(path, options: options)
        } else if lowered.hasSuffix(".csv") {
            self = try Self.readDelimited(path, delimiter: ",", options: options)
        } else if lowered.hasSuffix(".tsv") {
            self = try Self.readDelimited(path, delimiter: "\t", options: options)
        } else if lowered.hasSuffix(".jsonl") || lowered.hasSuffix(".ndjson") {
            self = try Self.readJSONLines(path, options: options)
        } else {
            throw DataError.invalidDataset(path: path, reason: "not a text dataset: expected a .csv, .tsv, .jsonl or .ndjson file, "
                + "or a folder with one folder of .txt files per class")
        }
    }

    /// Number of texts.
    public var count: Int { samples.count }
    /// The label of text `index`.
    public func label(at index: Int) -> Int { samples[index].label }
    /// The text of sample `index`.
    public func text(at index: Int) -> String { samples[index].text }
    /// `file:line` or the file's path.
    public func sampleName(at index: Int) -> String { samples[index].name }
}
