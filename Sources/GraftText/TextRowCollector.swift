import Foundation
import GraftData

/// Where one candidate text came from: a line of a table, or a whole file.
struct TextOrigin {
    /// The file.
    let file: String
    /// The 1-based line of a table row; nil for a whole file.
    let line: Int?

    /// `file:line`, or the file's path.
    var name: String { line.map { "\(file):\($0)" } ?? file }

    /// The error for a bad row or file under the stop-at-bad-input policy.
    func error(_ reason: String) -> DataError {
        line.map { .invalidLabelFile(path: file, line: $0, reason: reason) } ?? .invalidDataset(path: file, reason: reason)
    }
}

/// Validates candidate (text, label) pairs from any reader and turns them into `LabeledTexts`: bad ones are counted
/// skips (or errors under `BadImagePolicy.error`), labels resolve against the given or inferred classes.
struct TextRowCollector {
    private let source: String
    private let options: TextReadingOptions
    private var accepted: [(text: String, label: String, origin: TextOrigin)] = []
    private var skipped: [SkippedSample] = []
    private var excluded = 0

    /// A collector for `source` (the file or folder being read).
    init(source: String, options: TextReadingOptions) {
        self.source = source
        self.options = options
    }

    /// Leaves out a bad row or file (or throws under the stop policy).
    mutating func reject(_ origin: TextOrigin, reason: String) throws {
        guard options.badInputPolicy == .skip else { throw origin.error(reason) }
        skipped.append(SkippedSample(name: origin.name, reason: reason))
    }

    /// Adds a candidate; a missing or blank text or label is rejected.
    mutating func add(text: String?, label: String?, from origin: TextOrigin) throws {
        guard let text else { return try reject(origin, reason: "no text (`\(options.textColumn)`)") }
        guard text.contains(where: { !$0.isWhitespace }) else { return try reject(origin, reason: "empty text") }
        let labelText = label?.trimmingCharacters(in: .whitespaces) ?? ""
        guard !labelText.isEmpty else { return try reject(origin, reason: "no label (`\(options.labelColumn)`)") }
        if let only = options.onlyLabels, !only.contains(labelText) {
            excluded += 1
            return
        }
        accepted.append((text, labelText, origin))
    }

    /// The dataset; throws when nothing usable was found, a label names no given class, or the labels found name
    /// fewer than two classes. `labelSource` names where labels come from, for that last message; `emptyReason` says
    /// why there was nothing to read (no rows below a header, only blank lines); `discoveredClasses`
    /// are the classes the source itself lists (class folders), used when no classes were given instead of inferring
    /// them from the labels.
    func finish(labelSource: String, emptyReason: String, discoveredClasses: [String]? = nil) throws -> LabeledTexts {
        guard !accepted.isEmpty else {
            let reason = skipped.first.map { "no usable texts: all \(skipped.count) were skipped as bad input (first: \($0.name): \($0.reason))" }
            throw DataError.invalidDataset(path: source, reason: reason ?? emptyReason)
        }
        let lookup = ClassNames.Lookup(classes: options.classes ?? discoveredClasses ?? ClassNames.infer(accepted.map(\.label)))
        var samples: [TextSample] = []
        samples.reserveCapacity(accepted.count)
        for candidate in accepted {
            guard let label = lookup.label(of: candidate.label) else { throw candidate.origin.error(lookup.unknownLabelReason(candidate.label)) }
            samples.append(TextSample(text: candidate.text, label: label, name: candidate.origin.name))
        }
        if options.classes == nil {
            let present = Set(samples.map(\.label))
            guard present.count >= 2 else {
                throw DataError.invalidDataset(path: source, reason: "\(labelSource) holds a single class `\(lookup.classes[samples[0].label])`; "
                    + "a classifier needs texts of at least two classes")
            }
        }
        return LabeledTexts(source: source, classes: lookup.classes, samples: samples, skipped: skipped, excluded: excluded)
    }
}
