import Foundation
import GraftTestSupport
import GraftText
import XCTest

/// Writes `text` as UTF-8.
func writeFile(_ path: String, _ text: String) throws {
    try writeFile(path, Array(text.utf8))
}

/// A tokenizer for loader tests: one token per space-separated word (id 1000 + the word's length, so ids are
/// predictable), `[CLS]` 101 … `[SEP]` 102, padding 0, truncation keeping the first words. Texts containing `☠`
/// are refused, to exercise rejected texts.
struct WordTokenizer: TextTokenizer {
    struct Refused: Error, CustomStringConvertible {
        var description: String { "text contains ☠" }
    }

    var padId: Int32 { 0 }
    var unknownId: Int32 { 100 }

    func encode(_ text: String, pair: String?, maxLength: Int?) throws -> TokenizedText {
        guard !text.contains("☠") else { throw Refused() }
        let words = text.split(whereSeparator: \.isWhitespace).map { 1000 + Int32($0.count) }
        let room = maxLength.map { max($0 - 2, 0) } ?? words.count
        let kept = Array(words.prefix(room))
        let ids = [101] + kept + [102]
        return TokenizedText(ids: ids, typeIds: Array(repeating: 0, count: ids.count), truncatedTokens: words.count - kept.count)
    }
}

/// In-memory labelled texts.
struct TextList: TextDataset {
    let texts: [String]
    let labels: [Int]
    let classes: [String]

    var count: Int { texts.count }
    func label(at index: Int) -> Int { labels[index] }
    func text(at index: Int) -> String { texts[index] }
    func sampleName(at index: Int) -> String { "text \(index)" }
}

/// `words` space-separated words.
func sentence(words: Int) -> String {
    (0..<words).map { "w\($0 % 10)" }.joined(separator: " ")
}
