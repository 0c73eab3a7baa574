/// The WordPiece tokenizer of BERT-family encoders, giving exactly the ids of Hugging Face `tokenizers` 0.13 for a
/// BERT `tokenizer.json`: BERT normalization, whitespace/punctuation pre-tokenization, greedy longest-match-first
/// WordPiece, added tokens found anywhere in the raw (special tokens) or normalized text, `[CLS] a [SEP] (b [SEP])` with
/// type ids 0/1, and `longest_first` truncation.
public struct BertTokenizer: TextTokenizer {
    public let padId: Int32
    public let unknownId: Int32
    /// The id of `[CLS]`, which starts every encoding.
    public let classifierId: Int32
    /// The id of `[SEP]`, which ends each text of an encoding.
    public let separatorId: Int32
    /// Number of distinct ids (the highest id + 1), the size of the encoder's embedding table.
    public let vocabularySize: Int
    /// The normalizer options.
    public var normalization: BertNormalization { pipeline.normalizer.options }

    private let pipeline: BertTextPipeline
    /// Added tokens matched in raw text (`normalized: false`, the special tokens).
    private let rawTokens: AddedTokenSplitter<UInt8>

    /// A tokenizer over `vocabulary`, ids being positions (a `vocab.txt` read line by line). `stripAccents` nil follows
    /// `lowercase`. The vocabulary must hold `[UNK]`, `[CLS]`, `[SEP]` and `[PAD]` (named by the token parameters),
    /// each token once; those and `[MASK]`, when present, are found as special tokens anywhere in a text. `source` names
    /// the vocabulary in error messages.
    public init(vocabulary: [String], lowercase: Bool = true, stripAccents: Bool? = nil, cleanText: Bool = true,
                handleChineseCharacters: Bool = true, unknownToken: String = "[UNK]", classifierToken: String = "[CLS]",
                separatorToken: String = "[SEP]", paddingToken: String = "[PAD]", maskToken: String = "[MASK]",
                continuingSubwordPrefix: String = "##", maxCharactersPerWord: Int = 100, source: String = "vocabulary") throws {
        var ids: [String: Int32] = [:]
        ids.reserveCapacity(vocabulary.count)
        for (index, token) in vocabulary.enumerated() {
            guard ids.updateValue(Int32(index), forKey: token) == nil else {
                throw BertTokenizerError.duplicateToken(token: token, source: source)
            }
        }
        let special = [paddingToken, unknownToken, classifierToken, separatorToken, maskToken].compactMap { token in
            ids[token].map { (content: token, id: $0, normalized: false) }
        }
        try self.init(tokenIds: ids, normalization: BertNormalization(cleanText: cleanText, handleChineseCharacters: handleChineseCharacters,
                                                                     stripAccents: stripAccents, lowercase: lowercase),
                      unknownToken: unknownToken, classifierToken: classifierToken, separatorToken: separatorToken,
                      paddingToken: paddingToken, addedTokens: special, continuingSubwordPrefix: continuingSubwordPrefix,
                      maxCharactersPerWord: maxCharactersPerWord, source: source)
    }

    /// A tokenizer over `tokenIds` (token → id) with `addedTokens` matched in raw or, when `normalized`, in
    /// normalized text; the special tokens may be model or added tokens.
    init(tokenIds: [String: Int32], normalization: BertNormalization, unknownToken: String, classifierToken: String,
         separatorToken: String, paddingToken: String, addedTokens: [(content: String, id: Int32, normalized: Bool)],
         continuingSubwordPrefix: String, maxCharactersPerWord: Int, source: String) throws {
        func id(of token: String) throws -> Int32 {
            guard let id = tokenIds[token] ?? addedTokens.first(where: { $0.content == token })?.id else {
                throw BertTokenizerError.missingToken(token: token, source: source)
            }
            return id
        }
        guard maxCharactersPerWord > 0 else {
            throw BertTokenizerError.invalidOption(name: "max_input_chars_per_word", message: "must be at least 1, got \(maxCharactersPerWord)")
        }
        unknownId = try id(of: unknownToken)
        classifierId = try id(of: classifierToken)
        separatorId = try id(of: separatorToken)
        padId = try id(of: paddingToken)
        vocabularySize = Int(max(tokenIds.values.max() ?? -1, addedTokens.map(\.id).max() ?? -1)) + 1
        let model = WordPieceModel(vocabulary: tokenIds, unknownId: unknownId, continuingSubwordPrefix: continuingSubwordPrefix,
                                   maxCharactersPerWord: maxCharactersPerWord)
        pipeline = BertTextPipeline(normalizer: BertNormalizer(options: normalization),
                                    normalizedTokens: addedTokens.filter(\.normalized).map { ($0.content, $0.id) }, model: model)
        rawTokens = AddedTokenSplitter(tokens: addedTokens.filter { !$0.normalized }.map { (Array($0.content.utf8), $0.id) })
    }

    /// The ids of `text` without `[CLS]`/`[SEP]` around it (special tokens written in the text included).
    public func ids(of text: String) -> [Int32] {
        var ids: [Int32] = []
        var scratch = BertTextPipeline.Scratch()
        var text = text
        text.withUTF8 { bytes in
            ids.reserveCapacity(bytes.count / 3 + 4)
            rawTokens.split(bytes, text: { pipeline.appendIds(of: $0, to: &ids, scratch: &scratch) }, token: { ids.append($0) })
        }
        return ids
    }

    public func encode(_ text: String, pair: String?, maxLength: Int?) throws -> TokenizedText {
        let specialCount = pair == nil ? 2 : 3
        if let maxLength, maxLength < specialCount {
            throw BertTokenizerError.maxLengthTooSmall(maxLength: maxLength, specialTokens: specialCount)
        }
        var first = ids(of: text)
        var second = pair.map(ids(of:)) ?? []
        var truncated = 0
        if let maxLength {
            let budget = maxLength - specialCount
            let kept = pair == nil ? (first: min(first.count, budget), second: 0)
                : LongestFirstTruncation.lengths(first: first.count, second: second.count, budget: budget)
            truncated = first.count - kept.first + second.count - kept.second
            first.removeSubrange(kept.first...)
            second.removeSubrange(kept.second...)
        }
        var ids: [Int32] = []
        ids.reserveCapacity(first.count + second.count + specialCount)
        ids.append(classifierId)
        ids.append(contentsOf: first)
        ids.append(separatorId)
        var typeIds = [Int32](repeating: 0, count: ids.count)
        if pair != nil {
            ids.append(contentsOf: second)
            ids.append(separatorId)
            typeIds.append(contentsOf: repeatElement(1, count: second.count + 1))
        }
        return TokenizedText(ids: ids, typeIds: typeIds, truncatedTokens: truncated)
    }
}
