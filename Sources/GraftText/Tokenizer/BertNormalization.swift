/// The options of Hugging Face `tokenizers`' `BertNormalizer`.
public struct BertNormalization: Sendable, Equatable {
    /// Drops NUL, U+FFFD and control/format characters and turns whitespace into spaces.
    public var cleanText: Bool
    /// Surrounds CJK ideographs with spaces, so each becomes a word of its own.
    public var handleChineseCharacters: Bool
    /// Decomposes (NFD) and drops nonspacing marks; nil follows `lowercase`, as `tokenizers` does.
    public var stripAccents: Bool?
    /// Lowercases each character (full Unicode lowercase mapping, e.g. `İ` → `i̇`).
    public var lowercase: Bool

    /// The options; the defaults are those of uncased BERT checkpoints.
    public init(cleanText: Bool = true, handleChineseCharacters: Bool = true, stripAccents: Bool? = nil, lowercase: Bool = true) {
        self.cleanText = cleanText
        self.handleChineseCharacters = handleChineseCharacters
        self.stripAccents = stripAccents
        self.lowercase = lowercase
    }

    /// Whether accents are stripped once `stripAccents`' nil is resolved.
    var stripsAccents: Bool { stripAccents ?? lowercase }
}
