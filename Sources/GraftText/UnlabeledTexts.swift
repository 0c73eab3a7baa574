import GraftData

/// Texts to classify, without labels (every label is 0): given as strings (`--text`), or one per line of a file
/// (`--texts FILE`, blank lines ignored). Batch them with a `TextLoader` that does not shuffle.
public struct UnlabeledTexts: TextDataset {
    /// The classes predictions are named by (the model's).
    public let classes: [String]
    /// The texts, with `text N` (1-based) or `file:line` as names.
    public let samples: [TextSample]
    /// Lines left out because their bytes are not UTF-8.
    public let skipped: [SkippedSample]

    /// The strings `texts`; throws when there is none or one is blank.
    public init(texts: [String], classes: [String]) throws {
        guard !texts.isEmpty else { throw DataError.invalidArgument("no texts to classify") }
        if let blank = texts.firstIndex(where: { !$0.contains { !$0.isWhitespace } }) {
            throw DataError.invalidArgument("text \(blank + 1) is empty")
        }
        self.classes = classes
        samples = texts.enumerated().map { TextSample(text: $1, label: 0, name: "text \($0 + 1)") }
        skipped = []
    }

    /// One text per non-blank line of `path`; a line that is not UTF-8 is skipped under `.skip` and stops the
    /// reading under `.error`. Throws when the file cannot be read or holds no text.
    public init(linesOf path: String, classes: [String], badInputPolicy: BadImagePolicy = .skip) throws {
        var samples: [TextSample] = []
        var skipped: [SkippedSample] = []
        for line in try TextFileLines(path: path).lines where line.text.contains(where: { !$0.isWhitespace }) {
            if let problem = line.encodingProblem {
                guard badInputPolicy == .skip else { throw DataError.invalidLabelFile(path: path, line: line.number, reason: problem) }
                skipped.append(SkippedSample(name: "\(path):\(line.number)", reason: problem))
            } else {
                samples.append(TextSample(text: line.text, label: 0, name: "\(path):\(line.number)"))
            }
        }
        guard !samples.isEmpty else {
            throw DataError.invalidDataset(path: path, reason: skipped.isEmpty ? "no texts (every line is blank)" : "no usable texts: every line was skipped as not UTF-8")
        }
        self.classes = classes
        self.samples = samples
        self.skipped = skipped
    }

    private init(classes: [String], samples: [TextSample], skipped: [SkippedSample]) {
        self.classes = classes
        self.samples = samples
        self.skipped = skipped
    }

    /// These texts, then `other`'s (e.g. the `--text` values, then the lines of `--texts`).
    public func appending(_ other: UnlabeledTexts) -> UnlabeledTexts {
        UnlabeledTexts(classes: classes, samples: samples + other.samples, skipped: skipped + other.skipped)
    }

    /// Number of texts.
    public var count: Int { samples.count }
    /// Always 0 (the texts have no labels).
    public func label(at index: Int) -> Int { 0 }
    /// The text of sample `index`.
    public func text(at index: Int) -> String { samples[index].text }
    /// `text N` or `file:line`.
    public func sampleName(at index: Int) -> String { samples[index].name }
}
