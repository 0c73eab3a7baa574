import Foundation
import GraftModels
import GraftText

/// What a checkpoint of a text model holds besides its weights to be used on its own: the encoder's configuration,
/// the pooling, the token limit the run trained with, and the tokenizer's files (a `tokenizer.json`, or a `vocab.txt`
/// with its `tokenizer_config.json`), so evaluating and predicting need neither the original folder nor a download.
public struct TextModelMetadata: Codable, Sendable, Equatable {
    /// The encoder's Hugging Face `config.json` values.
    public var configuration: BertConfiguration
    /// How token states become one vector per text.
    public var pooling: TextPooling
    /// The most tokens per text, special tokens included.
    public var maxLength: Int
    /// File name → UTF-8 contents of the tokenizer's files.
    public var tokenizerFiles: [String: String]

    /// The files `BertTokenizer(folder:)` reads, in the order it prefers them.
    static let tokenizerFileNames = [["tokenizer.json"], ["vocab.txt", "tokenizer_config.json"]]

    /// The description of `model`, trained with `maxLength` tokens, whose tokenizer is in `tokenizerFolder` (a
    /// Hugging Face checkpoint folder).
    public init(model: TextClassifier, maxLength: Int, tokenizerFolder: URL) throws {
        configuration = model.encoder.configuration
        pooling = model.pooling
        self.maxLength = maxLength
        let present = Self.tokenizerFileNames.map { names in
            names.filter { FileManager.default.fileExists(atPath: tokenizerFolder.appendingPathComponent($0).path) }
        }
        guard let chosen = present.first(where: { !$0.isEmpty }) else {
            throw TrainingError.invalidSetting("weights", "\(tokenizerFolder.path) has neither tokenizer.json nor vocab.txt: the model's tokenizer is needed")
        }
        var files: [String: String] = [:]
        for name in chosen {
            let url = tokenizerFolder.appendingPathComponent(name)
            guard let text = String(data: try Data(contentsOf: url), encoding: .utf8) else {
                throw TrainingError.invalidSetting("weights", "\(url.path) is not UTF-8 text")
            }
            files[name] = text
        }
        tokenizerFiles = files
    }

    /// The tokenizer the files describe (read from a private temporary folder, removed afterwards).
    public func tokenizer() throws -> BertTokenizer {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("graft-tokenizer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for (name, text) in tokenizerFiles {
            guard Self.tokenizerFileNames.joined().contains(name) else {
                throw TrainingError.invalidConfiguration("a checkpoint's tokenizer file is named '\(name)'; expected \(Self.tokenizerFileNames.joined().joined(separator: ", "))")
            }
            try Data(text.utf8).write(to: folder.appendingPathComponent(name))
        }
        return try BertTokenizer(folder: folder)
    }

    /// A `name` classifier of this shape with `numClasses` outputs (weights still to be loaded).
    public func model(name: String, numClasses: Int) throws -> TextClassifier {
        try TextClassifier(name: name, encoder: BertEncoder(configuration), pooling: pooling, numClasses: numClasses)
    }
}
