/// The WordPiece model: greedy longest-match-first splitting of one word into vocabulary pieces, continuations
/// looked up with their prefix (`##`); a word with an unmatched rest, or longer than the character limit, is `[UNK]`.
struct WordPieceModel: Sendable {
    /// Pieces that may start a word (the whole vocabulary, as `tokenizers` looks a word's start up unprefixed).
    private let wordStarts: ByteTrie
    /// Continuation pieces, keyed without their prefix.
    private let continuations: ByteTrie
    /// The id of `[UNK]`.
    let unknownId: Int32
    /// Words longer than this many characters become `[UNK]` whole.
    let maxCharactersPerWord: Int

    /// The model over `vocabulary` (token → id).
    init(vocabulary: [String: Int32], unknownId: Int32, continuingSubwordPrefix: String, maxCharactersPerWord: Int) {
        let prefix = Array(continuingSubwordPrefix.utf8)
        var starts: [(bytes: [UInt8], id: Int32)] = [], continuations: [(bytes: [UInt8], id: Int32)] = []
        starts.reserveCapacity(vocabulary.count)
        for (token, id) in vocabulary {
            let bytes = Array(token.utf8)
            starts.append((bytes, id))
            if bytes.count > prefix.count, bytes.starts(with: prefix) {
                continuations.append((Array(bytes[prefix.count...]), id))
            }
        }
        wordStarts = ByteTrie(entries: starts)
        self.continuations = ByteTrie(entries: continuations)
        self.unknownId = unknownId
        self.maxCharactersPerWord = maxCharactersPerWord
    }

    /// Appends the ids of `word` (normalized UTF-8 of `characterCount` characters) to `ids`.
    func appendIds(ofWord word: UnsafeBufferPointer<UInt8>, characterCount: Int, to ids: inout [Int32]) {
        guard !word.isEmpty else { return }
        guard characterCount <= maxCharactersPerWord else { ids.append(unknownId); return }
        let firstPiece = ids.count
        var start = 0
        while start < word.count {
            guard let piece = (start == 0 ? wordStarts : continuations).longestMatch(in: word, from: start) else {
                ids.removeSubrange(firstPiece...)
                ids.append(unknownId)
                return
            }
            ids.append(piece.id)
            start = piece.end
        }
    }
}
