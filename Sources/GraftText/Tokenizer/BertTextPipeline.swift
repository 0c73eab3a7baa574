/// One stretch of raw text (between special tokens) to word-piece ids, as `tokenizers` runs it: `BertNormalizer`,
/// added tokens that match normalized text, `BertPreTokenizer` (split on whitespace, punctuation isolated) and
/// `WordPiece`, with words built as UTF-8 bytes in a reused buffer.
struct BertTextPipeline: Sendable {
    /// The normalizer.
    let normalizer: BertNormalizer
    /// Added tokens with `normalized: true`, as normalized scalars.
    let normalizedTokens: AddedTokenSplitter<UInt32>
    /// The vocabulary model.
    let model: WordPieceModel

    /// A pipeline; `normalizedTokens` are matched after normalization, in their normalized form.
    init(normalizer: BertNormalizer, normalizedTokens: [(content: String, id: Int32)], model: WordPieceModel) {
        self.normalizer = normalizer
        self.normalizedTokens = AddedTokenSplitter(tokens: normalizedTokens.map { (normalizer.normalize($0.content), $0.id) })
        self.model = model
    }

    /// Buffers reused across the stretches of one encoding.
    struct Scratch {
        /// The normalized text.
        var scalars: [UInt32] = []
        /// Spare room for the normalizer.
        var spare: [UInt32] = []
        /// The UTF-8 bytes of the word being built.
        var word: [UInt8] = []
        /// Its number of characters.
        var wordCharacters = 0
    }

    /// Appends the ids of the UTF-8 text `bytes` to `ids`.
    func appendIds(of bytes: UnsafeBufferPointer<UInt8>, to ids: inout [Int32], scratch: inout Scratch) {
        normalizer.normalize(bytes, into: &scratch.scalars, spare: &scratch.spare)
        let scalars = scratch.scalars
        scalars.withUnsafeBufferPointer { normalized in
            if normalizedTokens.isEmpty {
                appendWordIds(of: normalized, to: &ids, scratch: &scratch)
            } else {
                normalizedTokens.split(normalized, text: { appendWordIds(of: $0, to: &ids, scratch: &scratch) },
                                       token: { ids.append($0) })
            }
        }
    }

    /// Pre-tokenizes normalized text and appends the word pieces of each word.
    private func appendWordIds(of normalized: UnsafeBufferPointer<UInt32>, to ids: inout [Int32], scratch: inout Scratch) {
        scratch.word.removeAll(keepingCapacity: true)
        scratch.wordCharacters = 0
        for value in normalized {
            let isWhitespace: Bool, isPunctuation: Bool
            if value < 0x80 {
                let asciiClass = BertCharacterClasses.asciiClasses[Int(value)]
                isWhitespace = asciiClass == .whitespace
                isPunctuation = asciiClass == .punctuation
            } else {
                let scalar = Unicode.Scalar(value).unsafelyUnwrapped
                isWhitespace = BertCharacterClasses.isWhitespace(scalar)
                isPunctuation = !isWhitespace && BertCharacterClasses.isPunctuation(scalar)
            }
            if isWhitespace || isPunctuation { finishWord(into: &ids, scratch: &scratch) }
            if isWhitespace { continue }
            Self.appendUTF8(value, to: &scratch.word)
            scratch.wordCharacters += 1
            if isPunctuation { finishWord(into: &ids, scratch: &scratch) }
        }
        finishWord(into: &ids, scratch: &scratch)
    }

    /// Runs WordPiece on the word built so far, if any, and starts a new one.
    private func finishWord(into ids: inout [Int32], scratch: inout Scratch) {
        guard !scratch.word.isEmpty else { return }
        let characters = scratch.wordCharacters
        scratch.word.withUnsafeBufferPointer { model.appendIds(ofWord: $0, characterCount: characters, to: &ids) }
        scratch.word.removeAll(keepingCapacity: true)
        scratch.wordCharacters = 0
    }

    /// Appends the UTF-8 encoding of the scalar `value`.
    @inline(__always)
    private static func appendUTF8(_ value: UInt32, to bytes: inout [UInt8]) {
        switch value {
        case ..<0x80:
            bytes.append(UInt8(value))
        case ..<0x800:
            bytes.append(UInt8(0xC0 | value >> 6))
            bytes.append(UInt8(0x80 | value & 0x3F))
        case ..<0x10000:
            bytes.append(UInt8(0xE0 | value >> 12))
            bytes.append(UInt8(0x80 | (value >> 6) & 0x3F))
            bytes.append(UInt8(0x80 | value & 0x3F))
        default:
            bytes.append(UInt8(0xF0 | value >> 18))
            bytes.append(UInt8(0x80 | (value >> 12) & 0x3F))
            bytes.append(UInt8(0x80 | (value >> 6) & 0x3F))
            bytes.append(UInt8(0x80 | value & 0x3F))
        }
    }
}
