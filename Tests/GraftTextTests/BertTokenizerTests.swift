import Foundation
import GraftTestSupport
import XCTest
@testable import GraftText

/// `BertTokenizer` on a small hand-made vocabulary: WordPiece, normalization options, special tokens, truncation and
/// bad input (the parity tests cover the real MiniLM vocabulary against Hugging Face `tokenizers`).
final class BertTokenizerTests: XCTestCase {
    /// BERT's own unit-test vocabulary plus a few pieces for the normalization checks.
    private let vocabulary = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "want", "##want", "##ed", "wa", "un", "runn",
                              "##ing", ",", "i", "##\u{307}", "ß", "k", "中", "国", "##国", "a", "##a"]

    private func tokenizer(lowercase: Bool = true, stripAccents: Bool? = nil, chinese: Bool = true) throws -> BertTokenizer {
        try BertTokenizer(vocabulary: vocabulary, lowercase: lowercase, stripAccents: stripAccents, handleChineseCharacters: chinese)
    }

    private func ids(_ tokens: String...) -> [Int32] { tokens.map { Int32(vocabulary.firstIndex(of: $0)!) } }

    func testGreedyLongestMatchFirstWithContinuations() throws {
        let encoding = try tokenizer().encode("UNwant\u{00E9}d,running", pair: nil, maxLength: nil)
        XCTAssertEqual(encoding.ids, ids("[CLS]", "un", "##want", "##ed", ",", "runn", "##ing", "[SEP]"))
        XCTAssertEqual(encoding.typeIds, [Int32](repeating: 0, count: 8))
        XCTAssertEqual(encoding.truncatedTokens, 0)
        XCTAssertEqual(encoding.count, 8)
    }

    func testUnmatchedAndOverlongWordsBecomeOneUnknown() throws {
        let tokenizer = try tokenizer()
        XCTAssertEqual(tokenizer.ids(of: "wanting xyz  qqq"), ids("want", "##ing", "[UNK]", "[UNK]"))
        XCTAssertEqual(tokenizer.ids(of: String(repeating: "a", count: 100)), ids("a") + [Int32](repeating: ids("##a")[0], count: 99))
        XCTAssertEqual(tokenizer.ids(of: String(repeating: "a", count: 101)), ids("[UNK]"))
        let allUnknown = try tokenizer.encode("xyz qqq", pair: nil, maxLength: nil)
        XCTAssertEqual(allUnknown.ids, ids("[CLS]", "[UNK]", "[UNK]", "[SEP]"))
        XCTAssertEqual(tokenizer.ids(of: " \t\u{200B}\n"), [], "whitespace and zero-width characters alone give no tokens")
    }

    func testLowercaseIsTheFullMappingAndStrippingFollowsIt() throws {
        // İ lowercases to i + combining dot (U+0307); stripping accents decomposes first and drops the dot.
        XCTAssertEqual(try tokenizer(stripAccents: false).ids(of: "\u{130}"), ids("i", "##\u{307}"))
        XCTAssertEqual(try tokenizer().ids(of: "\u{130}"), ids("i"))
        XCTAssertEqual(try tokenizer().ids(of: "\u{1E9E} \u{212A}"), ids("ß", "k"), "capital sharp s and the Kelvin sign")
        XCTAssertEqual(try tokenizer(lowercase: false).ids(of: "Want want"), ids("[UNK]", "want"))
    }

    func testChineseCharactersAreWordsOfTheirOwn() throws {
        XCTAssertEqual(try tokenizer().ids(of: "中国"), ids("中", "国"))
        XCTAssertEqual(try tokenizer(chinese: false).ids(of: "中国"), ids("中", "##国"))
    }

    func testSpecialTokensInTextAndPairTypeIds() throws {
        let encoding = try tokenizer().encode("want[SEP]wanted", pair: "running [mask]", maxLength: nil)
        XCTAssertEqual(encoding.ids, ids("[CLS]", "want", "[SEP]", "want", "##ed", "[SEP]", "runn", "##ing", "[UNK]", "[UNK]", "[UNK]", "[SEP]"))
        XCTAssertEqual(encoding.typeIds, [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1])
    }

    func testLongestFirstTruncationAsTokenizersDoesIt() throws {
        let cases: [(Int, Int, Int, Int, Int)] = [(2, 2, 10, 2, 2), (4, 4, 4, 2, 2), (5, 2, 4, 2, 2), (1, 7, 4, 1, 3), (5, 5, 5, 2, 3),
                                                   (6, 5, 5, 3, 2), (9, 1, 0, 0, 0), (3, 8, 6, 3, 3)]
        for (first, second, budget, keptFirst, keptSecond) in cases {
            let kept = LongestFirstTruncation.lengths(first: first, second: second, budget: budget)
            XCTAssertEqual([kept.first, kept.second], [keptFirst, keptSecond], "\(first)+\(second) into \(budget)")
        }
        let tokenizer = try tokenizer()
        let single = try tokenizer.encode("want want want", pair: nil, maxLength: 4)
        XCTAssertEqual(single.ids, ids("[CLS]", "want", "want", "[SEP]"))
        XCTAssertEqual(single.truncatedTokens, 1)
        let pair = try tokenizer.encode("want want want", pair: "running", maxLength: 6)
        // 3 + 2 tokens into 3: both halve, the longer (first) keeping the odd one.
        XCTAssertEqual(pair.ids, ids("[CLS]", "want", "want", "[SEP]", "runn", "[SEP]"))
        XCTAssertEqual(pair.typeIds, [0, 0, 0, 0, 1, 1])
        XCTAssertEqual(pair.truncatedTokens, 2)
        XCTAssertEqual(try tokenizer.encode("want", pair: nil, maxLength: 2).ids, ids("[CLS]", "[SEP]"))
    }

    func testMaximumLengthBelowTheSpecialTokensIsRefused() throws {
        let tokenizer = try tokenizer()
        XCTAssertThrowsError(try tokenizer.encode("want", pair: nil, maxLength: 1)) { error in
            XCTAssertEqual(error as? BertTokenizerError, .maxLengthTooSmall(maxLength: 1, specialTokens: 2))
        }
        XCTAssertThrowsError(try tokenizer.encode("want", pair: "want", maxLength: 2))
    }

    func testBadVocabulariesAreRefusedByName() throws {
        XCTAssertThrowsError(try BertTokenizer(vocabulary: ["[PAD]", "[UNK]", "[SEP]", "a"])) { error in
            XCTAssertEqual(error as? BertTokenizerError, .missingToken(token: "[CLS]", source: "vocabulary"))
            XCTAssertTrue("\(error)".contains("[CLS]"), "\(error)")
        }
        XCTAssertThrowsError(try BertTokenizer(vocabulary: vocabulary + ["want"])) { error in
            XCTAssertEqual(error as? BertTokenizerError, .duplicateToken(token: "want", source: "vocabulary"))
        }
        XCTAssertThrowsError(try BertTokenizer(vocabulary: vocabulary, maxCharactersPerWord: 0)) { error in
            XCTAssertTrue("\(error)".contains("max_input_chars_per_word"), "\(error)")
        }
    }

    func testFolderWithoutTokenizerFilesIsRefused() throws {
        let folder = try PackagePaths.temporaryDirectory(for: self)
        XCTAssertThrowsError(try BertTokenizer(folder: folder)) { error in
            XCTAssertEqual(error as? BertTokenizerError, .missingVocabulary(folder: folder.path))
            XCTAssertTrue("\(error)".contains("tokenizer.json or vocab.txt"), "\(error)")
        }
        try Data("{\"model\": ".utf8).write(to: folder.appendingPathComponent("tokenizer.json"))
        XCTAssertThrowsError(try BertTokenizer(folder: folder)) { error in
            guard case .unreadableFile(let path, _) = error as? BertTokenizerError else { return XCTFail("\(error)") }
            XCTAssertTrue(path.hasSuffix("tokenizer.json"), path)
        }
    }

    /// A BERT `tokenizer.json` over `vocabulary`, with `change` applied to its JSON object.
    private func tokenizerFile(in folder: URL, _ change: (inout [String: Any]) -> Void = { _ in }) throws -> URL {
        let vocab = Dictionary(uniqueKeysWithValues: vocabulary.enumerated().map { ($0.element, $0.offset) })
        let special = { (token: String) -> [String: Any] in ["SpecialToken": ["id": token, "type_id": 0]] }
        let sequence = { (name: String, type: Int) -> [String: Any] in ["Sequence": ["id": name, "type_id": type]] }
        var separatorB = special("[SEP]")
        separatorB["SpecialToken"] = ["id": "[SEP]", "type_id": 1]
        var object: [String: Any] = [
            "added_tokens": ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"].map { token -> [String: Any] in
                ["id": vocab[token]!, "content": token, "single_word": false, "lstrip": false, "rstrip": false,
                 "normalized": false, "special": true]
            },
            "normalizer": ["type": "BertNormalizer", "clean_text": true, "handle_chinese_chars": true, "strip_accents": NSNull(),
                           "lowercase": true],
            "pre_tokenizer": ["type": "BertPreTokenizer"],
            "post_processor": ["type": "TemplateProcessing",
                               "single": [special("[CLS]"), sequence("A", 0), special("[SEP]")],
                               "pair": [special("[CLS]"), sequence("A", 0), special("[SEP]"), sequence("B", 1), separatorB]],
            "model": ["type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
                      "max_input_chars_per_word": 100, "vocab": vocab],
        ]
        change(&object)
        let url = folder.appendingPathComponent("tokenizer.json")
        try JSONSerialization.data(withJSONObject: object).write(to: url)
        return url
    }

    func testTokenizerJSONIsReadAndNonBertOnesAreRefusedByField() throws {
        let folder = try PackagePaths.temporaryDirectory(for: self)
        let url = try tokenizerFile(in: folder)
        XCTAssertEqual(try BertTokenizer(folder: folder).encode("UNwant\u{00E9}d,running", pair: "x", maxLength: nil),
                       try tokenizer().encode("UNwant\u{00E9}d,running", pair: "x", maxLength: nil))
        let refusals: [(String, (inout [String: Any]) -> Void)] = [
            ("model.type", { $0["model"] = ["type": "BPE", "vocab": [:], "merges": []] }),
            ("normalizer.type", { $0["normalizer"] = ["type": "Sequence", "normalizers": []] }),
            ("pre_tokenizer.type", { $0["pre_tokenizer"] = ["type": "Whitespace"] }),
            ("post_processor.type", { $0["post_processor"] = ["type": "RobertaProcessing"] }),
            ("post_processor.pair", { object in
                var processor = object["post_processor"] as! [String: Any]
                processor["pair"] = processor["single"]
                object["post_processor"] = processor
            }),
            ("added_tokens[0] ([PAD]).lstrip/rstrip/single_word", { object in
                var tokens = object["added_tokens"] as! [[String: Any]]
                tokens[0]["lstrip"] = true
                object["added_tokens"] = tokens
            }),
        ]
        for (field, change) in refusals {
            _ = try tokenizerFile(in: folder, change)
            XCTAssertThrowsError(try BertTokenizer(folder: folder), field) { error in
                guard case .unsupported(let path, let named, _, _) = error as? BertTokenizerError else { return XCTFail("\(error)") }
                XCTAssertEqual(path, url.path)
                XCTAssertEqual(named, field)
                XCTAssertTrue("\(error)".contains(field) && "\(error)".contains("tokenizer.json"), "\(error)")
            }
        }
        _ = try tokenizerFile(in: folder) { object in
            var model = object["model"] as! [String: Any]
            model["vocab"] = ["[UNK]": 0, "[CLS]": 1, "[SEP]": 2]
            object["model"] = model
            object["added_tokens"] = []
        }
        XCTAssertThrowsError(try BertTokenizer(folder: folder)) { error in
            XCTAssertEqual(error as? BertTokenizerError, .missingToken(token: "[PAD]", source: url.path))
        }
    }
}
