import Foundation
import GraftIO
import GraftModels
import GraftNN
import GraftTensor
import GraftTestSupport
import GraftTrain
import XCTest

/// Model name or Hugging Face BERT folder + number of classes → a text classifier with pretrained encoder weights.
final class PretrainedTextModelTests: XCTestCase {
    func testInstalledMiniLMLoadsWithItsPoolingLengthAndASeededHead() throws {
        guard let asset = OfflineAsset.weights(for: "minilm_l6") else {
            throw Prerequisite.missing("the offline all-MiniLM-L6-v2 folder is not installed (make setup)")
        }
        let pretrained = try PretrainedTextModel("minilm_l6", numClasses: 3, seed: 5)
        XCTAssertEqual(pretrained.folder.path, asset.location.path, "the installed asset is the default")
        XCTAssertEqual(pretrained.loadReport.loaded, 101)
        XCTAssertEqual(pretrained.model.pooling, .mean, "from 1_Pooling/config.json")
        XCTAssertEqual(pretrained.maxLength, 256, "from sentence_bert_config.json")
        XCTAssertEqual(pretrained.model.classifier.weight.shape, [3, 384])
        XCTAssertEqual(pretrained.summary, ["loaded 101 pretrained tensors from model.safetensors",
                                            "new head: Linear(384 → 3) for your classes, on mean-pooled tokens"])
        let file = Dictionary(try CheckpointReader.read(contentsOf: pretrained.weights).tensors(), uniquingKeysWith: { a, _ in a })
        let loaded = try XCTUnwrap(pretrained.model.stateDict().first { $0.0 == "bert.encoder.layer.5.output.LayerNorm.weight" }?.1)
        XCTAssertEqual(try maxAbs(loaded, XCTUnwrap(file["encoder.layer.5.output.LayerNorm.weight"])), 0)

        let again = try PretrainedTextModel("minilm_l6", folder: asset.location, numClasses: 3, pooling: .cls, seed: 5)
        XCTAssertEqual(again.model.pooling, .cls)
        XCTAssertEqual(try maxAbs(again.model.classifier.weight, pretrained.model.classifier.weight), 0, "the seed fixes the head")
    }

    func testBadFoldersAreRefusedNamingTheFileKeyOrTensor() throws {
        let folder = try PackagePaths.temporaryDirectory(for: self)
        func message() -> String {
            do {
                _ = try PretrainedTextModel("tiny", folder: folder, numClasses: 2)
                return "no error"
            } catch {
                XCTAssertEqual((error as? TrainingError).map { if case .invalidSetting(let name, _) = $0 { name } else { "" } }, "weights")
                return "\(error)"
            }
        }
        XCTAssertTrue(message().contains("has no model.safetensors or pytorch_model.bin"))
        let configuration = try BertConfiguration(vocabSize: 30, hiddenSize: 8, numHiddenLayers: 1, numAttentionHeads: 2,
                                                  intermediateSize: 12, maxPositionEmbeddings: 10)
        let tensors = try BertEncoder(configuration).stateDict().filter { $0.0 != "encoder.layer.0.attention.self.key.bias" }
        try SafetensorsWriter.write(StateDict(tensors: tensors), to: folder.appendingPathComponent("model.safetensors"))
        XCTAssertTrue(message().contains("has no config.json"))
        let config = folder.appendingPathComponent("config.json")
        try #"{"vocab_size": 30, "hidden_size": 8, "num_hidden_layers": 1, "num_attention_heads": 2, "intermediate_size": 12, "max_position_embeddings": 10, "hidden_act": "relu"}"#
            .write(to: config, atomically: true, encoding: .utf8)
        XCTAssertTrue(message().contains("hidden_act 'relu' is not supported"))
        try #"{"vocab_size": 30, "hidden_size": 8, "num_hidden_layers": 1, "num_attention_heads": 2, "intermediate_size": 12, "max_position_embeddings": 10}"#
            .write(to: config, atomically: true, encoding: .utf8)
        XCTAssertTrue(message().contains("missing from the checkpoint: encoder.layer.0.attention.self.key.bias"))
        XCTAssertThrowsError(try PretrainedTextModel("no_such_model", numClasses: 2)) { error in
            XCTAssertTrue("\(error)".contains("unknown text model 'no_such_model'"), "\(error)")
        }
    }

    func maxAbs(_ a: Tensor, _ b: Tensor) throws -> Double { try (a - b).abs().max().item() }
}
