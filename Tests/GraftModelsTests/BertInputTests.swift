import Foundation
import GraftModels
import GraftNN
import GraftTensor
import GraftTestSupport
import XCTest

/// Bad configurations, checkpoints and token rows give errors naming the key, tensor or shape, never a crash.
final class BertInputTests: XCTestCase {
    static let tinyJSON = #"{"vocab_size": 50, "hidden_size": 16, "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 24, "max_position_embeddings": 12}"#

    func tiny() throws -> BertConfiguration {
        try JSONDecoder().decode(BertConfiguration.self, from: Data(Self.tinyJSON.utf8))
    }

    /// The description of the error `body` throws (failing when it throws none).
    func message(_ body: () throws -> Any, file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            _ = try body()
            XCTFail("no error", file: file, line: line)
            return ""
        } catch {
            return "\(error)"
        }
    }

    /// The error of decoding the tiny configuration with `changes` applied.
    func decoding(_ changes: [String: Any]) -> String {
        message {
            var object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(Self.tinyJSON.utf8)) as? [String: Any])
            object.merge(changes) { _, new in new }
            return try JSONDecoder().decode(BertConfiguration.self, from: JSONSerialization.data(withJSONObject: object))
        }
    }

    func testConfigurationDecodesHuggingFaceKeysWithDefaults() throws {
        let configuration = try tiny()
        XCTAssertEqual(configuration.headSize, 4)
        XCTAssertEqual(configuration.typeVocabSize, 2)
        XCTAssertEqual(configuration.layerNormEps, 1e-12)
        XCTAssertEqual(configuration.padTokenId, 0)
        XCTAssertEqual(configuration.hiddenAct, "gelu")
        let miniLM = try BertConfiguration(contentsOf: BertFixtures.miniLMFolder().appendingPathComponent("config.json"))
        XCTAssertEqual([miniLM.vocabSize, miniLM.hiddenSize, miniLM.numHiddenLayers, miniLM.numAttentionHeads, miniLM.intermediateSize],
                       [30522, 384, 6, 12, 1536])
        let encoded = try JSONEncoder().encode(miniLM)
        XCTAssertEqual(try JSONDecoder().decode(BertConfiguration.self, from: encoded), miniLM)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: encoded) as? [String: Any])
        XCTAssertEqual(object["num_hidden_layers"] as? Int, 6, "Hugging Face key names")
        var unpadded = configuration
        unpadded.padTokenId = nil
        XCTAssertNil(try JSONDecoder().decode(BertConfiguration.self, from: JSONEncoder().encode(unpadded)).padTokenId)
    }

    func testUnsupportedConfigurationsAreRefusedByKey() {
        XCTAssertTrue(decoding(["hidden_act": "relu"]).contains("hidden_act 'relu' is not supported"))
        XCTAssertTrue(decoding(["hidden_act": "gelu_new"]).contains("hidden_act"))
        XCTAssertTrue(decoding(["num_attention_heads": 5]).contains("hidden_size 16 is not a multiple of num_attention_heads 5"))
        XCTAssertTrue(decoding(["position_embedding_type": "relative_key"]).contains("position_embedding_type"))
        XCTAssertTrue(decoding(["num_hidden_layers": 0]).contains("num_hidden_layers must be at least 1"))
        XCTAssertTrue(decoding(["hidden_dropout_prob": 1.0]).contains("hidden_dropout_prob"))
        XCTAssertTrue(decoding(["pad_token_id": 50]).contains("pad_token_id"))
        XCTAssertTrue(decoding(["model_type": "roberta"]).contains("model_type 'roberta'"))
    }

    func testConfigurationFileErrorsNameTheFileAndKey() throws {
        let folder = try PackagePaths.temporaryDirectory(for: self)
        let url = folder.appendingPathComponent("config.json")
        try #"{"hidden_size": "wide"}"#.write(to: url, atomically: true, encoding: .utf8)
        let typeError = message { try BertConfiguration(contentsOf: url) }
        XCTAssertTrue(typeError.contains(url.path) && typeError.contains("hidden_size"), typeError)
        try #"{"hidden_act": "silu"}"#.write(to: url, atomically: true, encoding: .utf8)
        XCTAssertTrue(message { try BertConfiguration(contentsOf: url) }.contains("hidden_act 'silu'"))
        XCTAssertTrue(message { try BertConfiguration(contentsOf: folder.appendingPathComponent("absent.json")) }.contains("absent.json"))
    }

    func testMissingMisshapenAndExtraTensorsAreNamedAndNothingLoads() throws {
        let encoder = try BertEncoder(tiny())
        let before = try encoder.embeddings.wordEmbeddings.weight.clone()
        var entries = try BertEncoder(tiny()).stateDict().filter { $0.0 != "encoder.layer.1.output.dense.bias" }
        entries = try entries.map { $0.0 == "embeddings.word_embeddings.weight" ? ($0.0, try Tensor.zeros([49, 16])) : $0 }
        entries.append(("encoder.layer.2.output.dense.bias", try Tensor.zeros([16])))
        let text = message { try encoder.load(pretrained: entries) }
        XCTAssertTrue(text.contains("missing from the checkpoint: encoder.layer.1.output.dense.bias"), text)
        XCTAssertTrue(text.contains("shape mismatch for embeddings.word_embeddings.weight: model [50, 16], checkpoint [49, 16]"), text)
        XCTAssertTrue(text.contains("not in the model: encoder.layer.2.output.dense.bias"), text)
        XCTAssertEqual(try maxAbsDifference(encoder.embeddings.wordEmbeddings.weight, before), 0, "a refused checkpoint copies nothing")
    }

    func testTaskHeadsPositionIdsAndUnusedPoolerAreIgnored() throws {
        let source = try BertEncoder(tiny(), withPooler: true)
        let entries = source.stateDict().map { ("bert." + $0.0, $0.1) }
            + [("bert.embeddings.position_ids", try Tensor.arange(0, 12, dtype: .int64).unsqueeze(dim: 0)),
               ("classifier.weight", try Tensor.zeros([2, 16])), ("cls.predictions.bias", try Tensor.zeros([50]))]
        let encoder = try BertEncoder(tiny())
        let report = try encoder.load(pretrained: entries)
        XCTAssertEqual(report.loaded, encoder.stateDict().count)
        XCTAssertEqual(try maxAbsDifference(encoder.embeddings.wordEmbeddings.weight, source.embeddings.wordEmbeddings.weight), 0)
        XCTAssertTrue(message { try BertEncoder(tiny(), withPooler: true).load(pretrained: Array(entries.prefix(5))) }
            .contains("missing from the checkpoint: pooler.dense.weight"))
    }

    func testBadTokenRowsAreRefused() throws {
        let encoder = try BertEncoder(tiny())
        encoder.eval()
        let ids = try Tensor([Int64](repeating: 3, count: 10), shape: [2, 5])
        XCTAssertTrue(message { try encoder(ids.to(.float32).unsqueeze(dim: 1)) }.contains("int64 [N, 3, L]"))
        XCTAssertTrue(message { try encoder(ids.view([2, 1, 5])) }.contains("[2, 1, 5]"))
        let shortMask = try Tensor.ones([2, 4], dtype: .int64)
        XCTAssertTrue(message { try encoder.forward(ids: ids, typeIds: ids, mask: shortMask) }.contains("attention mask have shape [2, 4]"))
        let long = try Tensor.ones([1, 13], dtype: .int64)
        XCTAssertTrue(message { try encoder.forward(ids: long, typeIds: long, mask: long) }.contains("max_position_embeddings"))
        let outOfVocabulary = try Tensor([Int64(50)], shape: [1, 1])
        let ones = try Tensor.ones([1, 1], dtype: .int64)
        XCTAssertTrue(message { try encoder.forward(ids: outOfVocabulary, typeIds: ones, mask: ones) }.contains("token id 50 is outside the model's 50 (vocab_size)"))
        XCTAssertTrue(message { try encoder.forward(ids: ones, typeIds: Tensor.full([1, 1], value: 2, dtype: .int64), mask: ones) }.contains("token type id 2 is outside the model's 2 (type_vocab_size)"))
        XCTAssertTrue(message { try TextClassifier.pack(ids: ids, typeIds: ids, mask: shortMask) }.contains("attention mask"))
    }

    func testPoolingConfiguration() throws {
        XCTAssertEqual(try TextPooling(sentenceTransformersConfig: BertFixtures.miniLMFolder().appendingPathComponent("1_Pooling/config.json")), .mean)
        let url = try PackagePaths.temporaryDirectory(for: self).appendingPathComponent("config.json")
        try #"{"pooling_mode_cls_token": false, "pooling_mode_max_tokens": true}"#.write(to: url, atomically: true, encoding: .utf8)
        XCTAssertTrue(message { try TextPooling(sentenceTransformersConfig: url) }.contains("pooling_mode_max_tokens is not supported"))
        try #"{"pooling_mode_cls_token": true}"#.write(to: url, atomically: true, encoding: .utf8)
        XCTAssertEqual(try TextPooling(sentenceTransformersConfig: url), .cls)
    }
}
