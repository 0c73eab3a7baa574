/// The parts of a Hugging Face `tokenizer.json` a BERT WordPiece tokenizer uses.
struct TokenizerFile: Decodable {
    /// A token matched in text before the model runs (`[CLS]`, `[SEP]`, …).
    struct AddedToken: Decodable {
        let id: Int32
        let content: String
        let singleWord: Bool?
        let lstrip: Bool?
        let rstrip: Bool?
        let normalized: Bool?
        let special: Bool?

        enum CodingKeys: String, CodingKey {
            case id, content, lstrip, rstrip, normalized, special
            case singleWord = "single_word"
        }
    }

    /// `normalizer`: `BertNormalizer` and its options.
    struct Normalizer: Decodable {
        let type: String
        let cleanText: Bool?
        let handleChineseChars: Bool?
        let stripAccents: Bool?
        let lowercase: Bool?

        enum CodingKeys: String, CodingKey {
            case type, lowercase
            case cleanText = "clean_text", handleChineseChars = "handle_chinese_chars", stripAccents = "strip_accents"
        }
    }

    /// `pre_tokenizer`: `BertPreTokenizer`.
    struct PreTokenizer: Decodable {
        let type: String
    }

    /// `model`: `WordPiece` and its vocabulary.
    struct Model: Decodable {
        let type: String
        let vocab: [String: Int32]?
        let unkToken: String?
        let continuingSubwordPrefix: String?
        let maxInputCharsPerWord: Int?

        enum CodingKeys: String, CodingKey {
            case type, vocab
            case unkToken = "unk_token", continuingSubwordPrefix = "continuing_subword_prefix"
            case maxInputCharsPerWord = "max_input_chars_per_word"
        }
    }

    /// One piece of a `TemplateProcessing` template: a special token or a sequence, with its type id.
    struct TemplatePiece: Decodable, Equatable {
        struct Reference: Decodable, Equatable {
            let id: String
            let typeId: Int

            enum CodingKeys: String, CodingKey {
                case id
                case typeId = "type_id"
            }
        }

        let specialToken: Reference?
        let sequence: Reference?

        enum CodingKeys: String, CodingKey {
            case specialToken = "SpecialToken", sequence = "Sequence"
        }
    }

    /// A `[token, id]` pair of `BertProcessing`.
    struct TokenAndId: Decodable {
        let token: String
        let id: Int32

        init(from decoder: Decoder) throws {
            var container = try decoder.unkeyedContainer()
            token = try container.decode(String.self)
            id = try container.decode(Int32.self)
        }
    }

    /// `post_processor`: `TemplateProcessing` (`single`, `pair`) or `BertProcessing` (`cls`, `sep`).
    struct PostProcessor: Decodable {
        let type: String
        let single: [TemplatePiece]?
        let pair: [TemplatePiece]?
        let cls: TokenAndId?
        let sep: TokenAndId?
    }

    /// `padding`: only its token, the one batches are padded with.
    struct Padding: Decodable {
        let padToken: String?

        enum CodingKeys: String, CodingKey {
            case padToken = "pad_token"
        }
    }

    let addedTokens: [AddedToken]?
    let normalizer: Normalizer?
    let padding: Padding?
    let preTokenizer: PreTokenizer?
    let model: Model
    let postProcessor: PostProcessor?

    enum CodingKeys: String, CodingKey {
        case model, normalizer, padding
        case addedTokens = "added_tokens", preTokenizer = "pre_tokenizer", postProcessor = "post_processor"
    }
}

/// The BERT options of a `tokenizer_config.json` next to a `vocab.txt` (transformers' `BertTokenizer` arguments).
struct TokenizerConfigFile: Decodable {
    let doLowerCase: Bool?
    let stripAccents: Bool?
    let tokenizeChineseChars: Bool?

    enum CodingKeys: String, CodingKey {
        case doLowerCase = "do_lower_case", stripAccents = "strip_accents", tokenizeChineseChars = "tokenize_chinese_chars"
    }
}
