/// `tokenizers`' `BertNormalizer` over UTF-8 text, producing Unicode scalars: clean-text filtering, spaces around CJK
/// ideographs, accent stripping (NFD, then nonspacing marks dropped), lowercasing (each character's full lowercase
/// mapping). ASCII text takes a path without Unicode property lookups.
struct BertNormalizer: Sendable {
    /// The options.
    let options: BertNormalization

    /// Replaces `scalars` with the normalized `bytes`; `spare` is a buffer it may reuse.
    func normalize(_ bytes: UnsafeBufferPointer<UInt8>, into scalars: inout [UInt32], spare: inout [UInt32]) {
        scalars.removeAll(keepingCapacity: true)
        let clean = options.cleanText, chinese = options.handleChineseCharacters
        let strip = options.stripsAccents, lowercase = options.lowercase
        var hasNonASCII = false
        var index = 0
        while index < bytes.count {
            let lead = bytes[index]
            if lead < 0x80 {
                index += 1
                let value = UInt32(lead)
                if clean, BertCharacterClasses.isDroppedASCIIControl(value) { continue }
                // ASCII letters are neither reordered nor stripped, so they can be lowercased right away.
                scalars.append(lowercase && value &- 65 < 26 ? value + 32 : value)
                continue
            }
            hasNonASCII = true
            let value = Self.decodeScalar(bytes, at: &index)
            if clean, BertCharacterClasses.isDroppedByCleaning(Unicode.Scalar(value).unsafelyUnwrapped) { continue }
            let isChinese = chinese && BertCharacterClasses.isChinese(value)
            if isChinese { scalars.append(0x20) }
            if strip {
                CanonicalDecomposition.appendDecomposition(of: value, to: &scalars)
            } else {
                scalars.append(value)
            }
            if isChinese { scalars.append(0x20) }
        }
        guard hasNonASCII, strip || lowercase else { return }
        if strip { CanonicalDecomposition.reorder(&scalars) }
        spare.removeAll(keepingCapacity: true)
        for value in scalars {
            // Decomposition can yield ASCII letters still to lowercase (İ → I + U+0307, the Kelvin sign → K).
            guard value >= 0x80 else { spare.append(lowercase && value &- 65 < 26 ? value + 32 : value); continue }
            let scalar = Unicode.Scalar(value).unsafelyUnwrapped
            if strip, BertCharacterClasses.isNonspacingMark(scalar) { continue }
            if lowercase, BertCharacterClasses.changesWhenLowercased(scalar) {
                spare.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars.lazy.map(\.value))
            } else {
                spare.append(value)
            }
        }
        swap(&scalars, &spare)
    }

    /// The normalized scalars of `text`.
    func normalize(_ text: String) -> [UInt32] {
        var text = text, scalars: [UInt32] = [], spare: [UInt32] = []
        text.withUTF8 { normalize($0, into: &scalars, spare: &spare) }
        return scalars
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
}
