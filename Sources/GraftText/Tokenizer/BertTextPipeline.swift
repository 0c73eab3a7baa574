/// Normalization, pre-tokenization and WordPiece for one stretch of text between special tokens, as `tokenizers`
/// runs `BertNormalizer`, `BertPreTokenizer` and `WordPiece`: on Unicode scalars, ASCII without lookups of Unicode
/// properties, words as UTF-8 bytes in a reused buffer.
struct BertTextPipeline: Sendable {
    /// The normalizer options.
    let normalization: BertNormalization
    /// The vocabulary model.
    let model: WordPieceModel

    /// Buffers reused across the stretches of one encoding.
    struct Scratch {
        /// The text after cleaning, CJK spacing and decomposition.
        var scalars: [UInt32] = []
        /// The UTF-8 bytes of the word being built.
        var word: [UInt8] = []
        /// Its number of characters.
        var wordCharacters = 0
    }

    /// Appends the word-piece ids of the UTF-8 text `bytes` to `ids`.
    func appendIds(of bytes: UnsafeBufferPointer<UInt8>, to ids: inout [Int32], scratch: inout Scratch) {
        normalize(bytes, into: &scratch.scalars)
        let lowercase = normalization.lowercase, strip = normalization.stripsAccents
        scratch.word.removeAll(keepingCapacity: true)
        scratch.wordCharacters = 0
        for value in scratch.scalars {
            if value < 0x80 {
                consume(lowercase && value &- 65 < 26 ? value + 32 : value, into: &ids, scratch: &scratch)
                continue
            }
            let scalar = Unicode.Scalar(value).unsafelyUnwrapped
            if strip, BertCharacterClasses.isNonspacingMark(scalar) { continue }
            if lowercase, scalar.properties.changesWhenLowercased {
                for mapped in scalar.properties.lowercaseMapping.unicodeScalars {
                    consume(mapped.value, into: &ids, scratch: &scratch)
                }
            } else {
                consume(value, into: &ids, scratch: &scratch)
            }
        }
        finishWord(into: &ids, scratch: &scratch)
    }

    /// The normalizer's character-level steps before lowercasing: clean-text filtering, spaces around CJK ideographs,
    /// and for accent stripping the canonical decomposition (NFD) whose nonspacing marks are dropped later.
    private func normalize(_ bytes: UnsafeBufferPointer<UInt8>, into scalars: inout [UInt32]) {
        scalars.removeAll(keepingCapacity: true)
        let clean = normalization.cleanText, chinese = normalization.handleChineseCharacters
        let decompose = normalization.stripsAccents
        var hasCombiningMarks = false
        var index = 0
        while index < bytes.count {
            let lead = bytes[index]
            if lead < 0x80 {
                index += 1
                if clean, BertCharacterClasses.isDroppedASCIIControl(UInt32(lead)) { continue }
                scalars.append(UInt32(lead))
                continue
            }
            let value = Self.decodeScalar(bytes, at: &index)
            if clean, BertCharacterClasses.isDroppedByCleaning(Unicode.Scalar(value).unsafelyUnwrapped) { continue }
            let isChinese = chinese && BertCharacterClasses.isChinese(value)
            if isChinese { scalars.append(0x20) }
            if decompose {
                let first = scalars.count
                CanonicalDecomposition.appendDecomposition(of: value, to: &scalars)
                if !hasCombiningMarks {
                    hasCombiningMarks = scalars[first...].contains { CanonicalDecomposition.combiningClass($0) != 0 }
                }
            } else {
                scalars.append(value)
            }
            if isChinese { scalars.append(0x20) }
        }
        if hasCombiningMarks { CanonicalDecomposition.reorder(&scalars, in: scalars.indices) }
    }

    /// Feeds one normalized character to the pre-tokenizer: whitespace ends the word, punctuation is a word of its
    /// own, anything else extends the word.
    @inline(__always)
    private func consume(_ value: UInt32, into ids: inout [Int32], scratch: inout Scratch) {
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
        if isWhitespace {
            finishWord(into: &ids, scratch: &scratch)
            return
        }
        if isPunctuation { finishWord(into: &ids, scratch: &scratch) }
        Self.appendUTF8(value, to: &scratch.word)
        scratch.wordCharacters += 1
        if isPunctuation { finishWord(into: &ids, scratch: &scratch) }
    }

    /// Runs WordPiece on the word built so far, if any, and starts a new one.
    private func finishWord(into ids: inout [Int32], scratch: inout Scratch) {
        guard !scratch.word.isEmpty else { return }
        let characters = scratch.wordCharacters
        scratch.word.withUnsafeBufferPointer { model.appendIds(ofWord: $0, characterCount: characters, to: &ids) }
        scratch.word.removeAll(keepingCapacity: true)
        scratch.wordCharacters = 0
    }

    /// Decodes the multi-byte UTF-8 sequence at `index` (valid, as it comes from a String) and moves past it.
    @inline(__always)
    private static func decodeScalar(_ bytes: UnsafeBufferPointer<UInt8>, at index: inout Int) -> UInt32 {
        let lead = UInt32(bytes[index])
        if lead < 0xE0 {
            defer { index += 2 }
            return (lead & 0x1F) << 6 | UInt32(bytes[index + 1] & 0x3F)
        }
        if lead < 0xF0 {
            defer { index += 3 }
            return (lead & 0x0F) << 12 | UInt32(bytes[index + 1] & 0x3F) << 6 | UInt32(bytes[index + 2] & 0x3F)
        }
        defer { index += 4 }
        return (lead & 0x07) << 18 | UInt32(bytes[index + 1] & 0x3F) << 12 | UInt32(bytes[index + 2] & 0x3F) << 6
            | UInt32(bytes[index + 3] & 0x3F)
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
