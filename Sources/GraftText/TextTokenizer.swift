/// One text, or a pair of texts, as the token ids a BERT-family encoder reads: `[CLS] a… [SEP]` or
/// `[CLS] a… [SEP] b… [SEP]`, unpadded (batches pad to their longest row).
public struct TokenizedText: Sendable, Equatable {
    /// Token ids, special tokens included.
    public var ids: [Int32]
    /// Token type (segment) ids: 0 for the first text and its special tokens, 1 for the second text and its `[SEP]`.
    public var typeIds: [Int32]
    /// Tokens dropped to fit the maximum length (0 when the text fit).
    public var truncatedTokens: Int

    /// Bundles an encoding.
    public init(ids: [Int32], typeIds: [Int32], truncatedTokens: Int = 0) {
        self.ids = ids
        self.typeIds = typeIds
        self.truncatedTokens = truncatedTokens
    }

    /// Number of tokens.
    public var count: Int { ids.count }
}

/// Turns texts into token ids for an encoder.
public protocol TextTokenizer: Sendable {
    /// The id batches are padded with.
    var padId: Int32 { get }
    /// The id of unknown words (`[UNK]`).
    var unknownId: Int32 { get }
    /// Encodes `text` (and `pair`, when given) with special tokens, truncated to at most `maxLength` tokens in all
    /// (nil: no limit) the way Hugging Face `tokenizers` truncates (longest-first for pairs).
    func encode(_ text: String, pair: String?, maxLength: Int?) throws -> TokenizedText
}
