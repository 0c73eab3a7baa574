/// Finds added tokens (`[CLS]`, `[SEP]`, user-added words, …) in text the way `tokenizers` does: anywhere, leftmost
/// match first, the longest token at that position. Works on raw UTF-8 bytes (tokens that are not normalized) or on
/// normalized Unicode scalars (tokens that are).
struct AddedTokenSplitter<Unit: FixedWidthInteger & Sendable>: Sendable {
    /// The tokens' units and ids, longest first.
    private let tokens: [(units: [Unit], id: Int32)]
    /// Whether some token starts with a unit of this low byte, to skip the rest of the text quickly.
    private let mayStartToken: [Bool]

    /// A splitter for `tokens`; empty ones are ignored.
    init(tokens: [(units: [Unit], id: Int32)]) {
        self.tokens = tokens.filter { !$0.units.isEmpty }.sorted { $0.units.count > $1.units.count }
        var mayStartToken = [Bool](repeating: false, count: 256)
        for token in self.tokens { mayStartToken[Int(truncatingIfNeeded: token.units[0]) & 255] = true }
        self.mayStartToken = mayStartToken
    }

    /// Whether there is no token to find.
    var isEmpty: Bool { tokens.isEmpty }

    /// Calls `text` for each stretch of other text (possibly empty) and `token` for each token found, in order.
    func split(_ units: UnsafeBufferPointer<Unit>, text: (UnsafeBufferPointer<Unit>) -> Void, token: (Int32) -> Void) {
        var stretchStart = 0, index = 0
        while index < units.count {
            guard mayStartToken[Int(truncatingIfNeeded: units[index]) & 255], let found = self.token(in: units, at: index) else {
                index += 1
                continue
            }
            text(UnsafeBufferPointer(rebasing: units[stretchStart..<index]))
            token(found.id)
            index += found.units.count
            stretchStart = index
        }
        text(UnsafeBufferPointer(rebasing: units[stretchStart..<units.count]))
    }

    /// The longest token that `units[index...]` begins with.
    private func token(in units: UnsafeBufferPointer<Unit>, at index: Int) -> (units: [Unit], id: Int32)? {
        tokens.first { token in
            token.units.count <= units.count - index && token.units.indices.allSatisfy { units[index + $0] == token.units[$0] }
        }
    }
}
