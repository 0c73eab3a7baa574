/// Finds special tokens (`[CLS]`, `[SEP]`, `[MASK]`, …) in raw text the way `tokenizers` extracts its added tokens
/// that are not normalized: anywhere in the text, leftmost match first, the longest token at that position.
struct SpecialTokenSplitter: Sendable {
    /// The tokens' UTF-8 bytes and ids, longest first.
    private let tokens: [(bytes: [UInt8], id: Int32)]
    /// Which bytes start some token, to skip the rest of the text quickly.
    private let startsToken: [Bool]

    /// A splitter for `tokens` (content → id).
    init(tokens: [(content: String, id: Int32)]) {
        self.tokens = tokens.map { (Array($0.content.utf8), $0.id) }.filter { !$0.0.isEmpty }
            .sorted { $0.0.count > $1.0.count }
        var startsToken = [Bool](repeating: false, count: 256)
        for token in self.tokens { startsToken[Int(token.bytes[0])] = true }
        self.startsToken = startsToken
    }

    /// Calls `text` for each stretch of ordinary text (possibly empty) and `special` for each special token, in order.
    func split(_ bytes: UnsafeBufferPointer<UInt8>, text: (UnsafeBufferPointer<UInt8>) -> Void, special: (Int32) -> Void) {
        var segmentStart = 0, index = 0
        while index < bytes.count {
            guard startsToken[Int(bytes[index])], let token = token(in: bytes, at: index) else { index += 1; continue }
            text(UnsafeBufferPointer(rebasing: bytes[segmentStart..<index]))
            special(token.id)
            index += token.bytes.count
            segmentStart = index
        }
        text(UnsafeBufferPointer(rebasing: bytes[segmentStart..<bytes.count]))
    }

    /// The longest token that `bytes[index...]` begins with.
    private func token(in bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (bytes: [UInt8], id: Int32)? {
        tokens.first { token in
            token.bytes.count <= bytes.count - index && token.bytes.indices.allSatisfy { bytes[index + $0] == token.bytes[$0] }
        }
    }
}
