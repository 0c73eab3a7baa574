import Foundation

extension BertTokenizer {
    /// The tokenizer of a checkpoint folder: its `tokenizer.json` when present, else its `vocab.txt` with the options
    /// of `tokenizer_config.json` (lowercasing, accent stripping and CJK handling; transformers' `BertTokenizer`
    /// defaults when absent).
    public init(folder: URL) throws {
        let tokenizerFile = folder.appendingPathComponent("tokenizer.json")
        let vocabularyFile = folder.appendingPathComponent("vocab.txt")
        if FileManager.default.fileExists(atPath: tokenizerFile.path) {
            try self.init(tokenizerFile: tokenizerFile)
        } else if FileManager.default.fileExists(atPath: vocabularyFile.path) {
            let configFile = folder.appendingPathComponent("tokenizer_config.json")
            try self.init(vocabularyFile: vocabularyFile,
                          configFile: FileManager.default.fileExists(atPath: configFile.path) ? configFile : nil)
        } else {
            throw BertTokenizerError.missingVocabulary(folder: folder.path)
        }
    }

    /// The tokenizer a Hugging Face `tokenizer.json` describes; it must be BERT's: a `BertNormalizer`, the
    /// `BertPreTokenizer`, a `WordPiece` model and a `[CLS] $A [SEP] ($B [SEP])` post-processor. Its own truncation
    /// and padding settings are ignored: `encode` truncates to the length it is given and never pads.
    public init(tokenizerFile url: URL) throws {
        try self.init(tokenizerJSON: Self.contents(of: url), source: url.path)
    }

    /// The tokenizer the contents of a Hugging Face `tokenizer.json` describe (as `init(tokenizerFile:)`); `source`
    /// names them in errors.
    public init(tokenizerJSON data: Data, source: String) throws {
        let path = source
        let file: TokenizerFile
        do {
            file = try JSONDecoder().decode(TokenizerFile.self, from: data)
        } catch let error as DecodingError {
            throw BertTokenizerError.unreadableFile(path: path, reason: Self.describe(error))
        } catch {
            throw BertTokenizerError.unreadableFile(path: path, reason: error.localizedDescription)
        }
        func unsupported(_ field: String, _ found: String?, _ expected: String) -> BertTokenizerError {
            .unsupported(path: path, field: field, found: found ?? "missing", expected: expected)
        }
        guard file.model.type == "WordPiece" else { throw unsupported("model.type", file.model.type, "WordPiece") }
        guard let vocabulary = file.model.vocab else { throw unsupported("model.vocab", nil, "a token → id map") }
        guard let normalizer = file.normalizer, normalizer.type == "BertNormalizer" else {
            throw unsupported("normalizer.type", file.normalizer?.type, "BertNormalizer")
        }
        guard file.preTokenizer?.type == "BertPreTokenizer" else {
            throw unsupported("pre_tokenizer.type", file.preTokenizer?.type, "BertPreTokenizer")
        }
        let (classifierToken, separatorToken) = try Self.classifierAndSeparator(of: file.postProcessor, unsupported: unsupported)
        // As `tokenizers` adds them: special tokens are always matched, others only when not already in the vocabulary.
        let addedTokens = try (file.addedTokens ?? []).enumerated().filter { $0.element.special == true || vocabulary[$0.element.content] == nil }
            .map { index, token in
                if token.lstrip == true || token.rstrip == true || token.singleWord == true {
                    throw unsupported("added_tokens[\(index)] (\(token.content)).lstrip/rstrip/single_word", "true", "false")
                }
                return (content: token.content, id: token.id, normalized: token.normalized ?? true)
            }
        try self.init(tokenIds: vocabulary,
                      normalization: BertNormalization(cleanText: normalizer.cleanText ?? true,
                                                       handleChineseCharacters: normalizer.handleChineseChars ?? true,
                                                       stripAccents: normalizer.stripAccents, lowercase: normalizer.lowercase ?? true),
                      unknownToken: file.model.unkToken ?? "[UNK]", classifierToken: classifierToken,
                      separatorToken: separatorToken, paddingToken: file.padding?.padToken ?? "[PAD]",
                      addedTokens: addedTokens, continuingSubwordPrefix: file.model.continuingSubwordPrefix ?? "##",
                      maxCharactersPerWord: file.model.maxInputCharsPerWord ?? 100, source: path)
    }

    /// A tokenizer from a `vocab.txt` (one token a line, ids being line numbers from 0) and, when given, the options of
    /// a `tokenizer_config.json`.
    public init(vocabularyFile url: URL, configFile: URL? = nil) throws {
        try self.init(vocabularyText: Self.contents(of: url), source: url.path,
                      configJSON: configFile.map(Self.contents), configSource: configFile?.path ?? "")
    }

    /// A tokenizer from the contents of a `vocab.txt` and, when given, of a `tokenizer_config.json` (as
    /// `init(vocabularyFile:configFile:)`); `source` and `configSource` name them in errors.
    public init(vocabularyText data: Data, source: String, configJSON: Data? = nil, configSource: String = "tokenizer_config.json") throws {
        let config: TokenizerConfigFile?
        if let configJSON {
            do {
                config = try JSONDecoder().decode(TokenizerConfigFile.self, from: configJSON)
            } catch let error as DecodingError {
                throw BertTokenizerError.unreadableFile(path: configSource, reason: Self.describe(error))
            } catch {
                throw BertTokenizerError.unreadableFile(path: configSource, reason: error.localizedDescription)
            }
        } else {
            config = nil
        }
        // As `tokenizers` reads it: lines split at \n, trailing whitespace (\r included) trimmed.
        var lines = data.split(separator: 10, omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        let vocabulary = lines.map { line in
            String(decoding: line, as: UTF8.self).unicodeScalars.reversed().drop { $0.properties.isWhitespace }
                .reversed().reduce(into: "") { $0.unicodeScalars.append($1) }
        }
        try self.init(vocabulary: vocabulary, lowercase: config?.doLowerCase ?? true, stripAccents: config?.stripAccents,
                      handleChineseCharacters: config?.tokenizeChineseChars ?? true, source: source)
    }

    /// The bytes of `url`, or an error naming it.
    private static func contents(of url: URL) throws -> Data {
        do {
            return try Data(contentsOf: url)
        } catch {
            throw BertTokenizerError.unreadableFile(path: url.path, reason: error.localizedDescription)
        }
    }

    /// The `[CLS]` and `[SEP]` tokens of a BERT post-processor.
    private static func classifierAndSeparator(of processor: TokenizerFile.PostProcessor?,
                                               unsupported: (String, String?, String) -> BertTokenizerError) throws -> (String, String) {
        let expected = "TemplateProcessing \"[CLS]:0 $A:0 [SEP]:0\" / \"[CLS]:0 $A:0 [SEP]:0 $B:1 [SEP]:1\" or BertProcessing"
        switch processor?.type {
        case "BertProcessing":
            guard let cls = processor?.cls, let sep = processor?.sep else { throw unsupported("post_processor.cls/sep", nil, "[token, id] pairs") }
            return (cls.token, sep.token)
        case "TemplateProcessing":
            typealias Piece = TokenizerFile.TemplatePiece
            guard let single = processor?.single, single.count == 3, let cls = single[0].specialToken?.id,
                  let sep = single[2].specialToken?.id else {
                throw unsupported("post_processor.single", "another template", expected)
            }
            let special = { (id: String, typeId: Int) in Piece(specialToken: .init(id: id, typeId: typeId), sequence: nil) }
            let sequence = { (id: String, typeId: Int) in Piece(specialToken: nil, sequence: .init(id: id, typeId: typeId)) }
            guard single == [special(cls, 0), sequence("A", 0), special(sep, 0)] else {
                throw unsupported("post_processor.single", "another template", expected)
            }
            guard processor?.pair == [special(cls, 0), sequence("A", 0), special(sep, 0), sequence("B", 1), special(sep, 1)] else {
                throw unsupported("post_processor.pair", "another template", expected)
            }
            return (cls, sep)
        default:
            throw unsupported("post_processor.type", processor?.type, expected)
        }
    }

    /// A decoding error as one line: what was wrong and where.
    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().drop { $0 == "." }.description
        }
        switch error {
        case .keyNotFound(let key, let context): return "missing field \(path(context)).\(key.stringValue)"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "\(path(context).isEmpty ? "" : "field \(path(context)): ")\(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}
