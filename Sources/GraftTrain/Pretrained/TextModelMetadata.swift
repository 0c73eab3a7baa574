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

    /// The tokenizer the files describe.
    public func tokenizer() throws -> BertTokenizer {
        if let unexpected = tokenizerFiles.keys.sorted().first(where: { !Self.tokenizerFileNames.joined().contains($0) }) {
            throw TrainingError.invalidConfiguration("a checkpoint's tokenizer file is named '\(unexpected)'; expected \(Self.tokenizerFileNames.joined().joined(separator: ", "))")
        }
        let source = { (name: String) in "the checkpoint's \(name)" }
        if let json = tokenizerFiles["tokenizer.json"] {
            return try BertTokenizer(tokenizerJSON: Data(json.utf8), source: source("tokenizer.json"))
        }
        guard let vocabulary = tokenizerFiles["vocab.txt"] else {
            throw TrainingError.invalidConfiguration("a text checkpoint holds neither tokenizer.json nor vocab.txt")
        }
        return try BertTokenizer(vocabularyText: Data(vocabulary.utf8), source: source("vocab.txt"),
                                 configJSON: tokenizerFiles["tokenizer_config.json"].map { Data($0.utf8) },
                                 configSource: source("tokenizer_config.json"))
    }

    /// A `name` classifier of this shape with `numClasses` outputs (weights still to be loaded).
    public func model(name: String, numClasses: Int) throws -> TextClassifier {
        try TextClassifier(name: name, encoder: BertEncoder(configuration), pooling: pooling, numClasses: numClasses)
    }
}
