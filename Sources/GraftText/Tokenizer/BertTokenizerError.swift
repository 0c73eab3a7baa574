/// Why a BERT tokenizer could not be loaded, or a text not encoded.
public enum BertTokenizerError: Error, CustomStringConvertible, Equatable {
    /// The checkpoint folder holds neither `tokenizer.json` nor `vocab.txt`.
    case missingVocabulary(folder: String)
    /// A tokenizer file could not be read or decoded.
    case unreadableFile(path: String, reason: String)
    /// A field of a tokenizer file holds something other than the BERT WordPiece setup this tokenizer reproduces.
    case unsupported(path: String, field: String, found: String, expected: String)
    /// A token the tokenizer needs (`[UNK]`, `[CLS]`, `[SEP]`, `[PAD]`) is not in the vocabulary.
    case missingToken(token: String, source: String)
    /// The vocabulary lists the same token twice.
    case duplicateToken(token: String, source: String)
    /// An option outside its range.
    case invalidOption(name: String, message: String)
    /// `maxLength` leaves no room for the special tokens.
    case maxLengthTooSmall(maxLength: Int, specialTokens: Int)

    public var description: String {
        switch self {
        case .missingVocabulary(let folder):
            return "\(folder) holds no tokenizer: expected tokenizer.json or vocab.txt"
        case .unreadableFile(let path, let reason):
            return "cannot read \(path): \(reason)"
        case .unsupported(let path, let field, let found, let expected):
            return "\(path): \(field) is \(found); only \(expected) is supported (a BERT WordPiece tokenizer)"
        case .missingToken(let token, let source):
            return "\(source): the vocabulary has no \(token) token"
        case .duplicateToken(let token, let source):
            return "\(source): the token \"\(token)\" appears more than once"
        case .invalidOption(let name, let message):
            return "\(name): \(message)"
        case .maxLengthTooSmall(let maxLength, let specialTokens):
            return "maximum sequence length \(maxLength) is too small: the special tokens alone take \(specialTokens)"
        }
    }
}
