import Foundation
import GraftIO
import GraftModels
import GraftNN
import GraftTensor
import GraftText

/// A text classifier built from a Hugging Face BERT checkpoint folder — `config.json` and `model.safetensors` (or
/// `pytorch_model.bin`), plus, for sentence-transformers models, `1_Pooling/config.json` and
/// `sentence_bert_config.json` — with a new head for the user's classes: the first step of fine-tuning on texts.
public struct PretrainedTextModel {
    /// The network, ready to fine-tune.
    public let model: TextClassifier
    /// The checkpoint folder used.
    public let folder: URL
    /// The weights file in it.
    public let weights: URL
    /// What matched between the file and the encoder.
    public let loadReport: LoadReport
    /// The checkpoint's tokenizer (its `tokenizer.json`, or `vocab.txt` and `tokenizer_config.json`).
    public let tokenizer: BertTokenizer
    /// The longest input in tokens the model was trained for: sentence-transformers' `max_seq_length` when the
    /// folder has one (256 for all-MiniLM-L6-v2), else `max_position_embeddings`.
    public let maxLength: Int

    /// Builds `name`'s encoder from `folder` (nil: the installed offline asset of `name`, e.g. `minilm_l6`), loads
    /// its weights (`bert.`-prefixed names too; task heads and the unused pooler are ignored) and adds a fresh
    /// `Linear(hidden, numClasses)` head initialised from `seed` (nil: the engine's generator). `pooling` nil takes
    /// the folder's sentence-transformers pooling, else `[CLS]`. Anything that does not fit throws
    /// `TrainingError.invalidSetting("weights", …)` naming the file and each tensor or key.
    public init(_ name: String, folder: URL? = nil, numClasses: Int, pooling: TextPooling? = nil, seed: UInt64? = nil) throws {
        let folder = try folder ?? Self.folder(for: name)
        let weights = try Self.weightsFile(in: folder)
        do {
            let configuration = try BertConfiguration(contentsOf: Self.requiredFile("config.json", in: folder))
            let encoder = try BertEncoder(configuration)
            loadReport = try encoder.load(pretrained: CheckpointReader.read(contentsOf: weights).tensors())
            let poolingConfig = folder.appendingPathComponent("1_Pooling/config.json")
            let chosenPooling = try pooling ?? (FileManager.default.fileExists(atPath: poolingConfig.path)
                ? TextPooling(sentenceTransformersConfig: poolingConfig) : .cls)
            if let seed { Engine.manualSeed(seed) }
            model = try TextClassifier(name: name, encoder: encoder, pooling: chosenPooling, numClasses: numClasses)
            maxLength = Self.sentenceTransformersMaxLength(in: folder).map { min($0, configuration.maxPositionEmbeddings) }
                ?? configuration.maxPositionEmbeddings
        } catch let error as NNError {
            throw TrainingError.invalidSetting("weights", "\(folder.path) does not give a \(name) text model:\n  \(error)")
        }
        self.folder = folder
        self.weights = weights
        tokenizer = try BertTokenizer(folder: folder)
    }

    /// The installed offline checkpoint folder of `name` (e.g. `minilm_l6`); an error saying what to give instead when
    /// there is none.
    public static func folder(for name: String) throws -> URL {
        guard TextModels.contains(name) else {
            throw TrainingError.invalidConfiguration("unknown text model '\(name)'; text models are \(TextModels.names.joined(separator: ", "))")
        }
        guard let folder = OfflineAsset.weights(for: name)?.location else {
            throw TrainingError.invalidSetting(
                "weights", "no pretrained checkpoint for \(name): give a Hugging Face BERT folder (config.json + model.safetensors or pytorch_model.bin), or install the offline asset with `make setup`")
        }
        return folder
    }

    /// What happened, one line each, e.g. `loaded 101 pretrained tensors from model.safetensors`.
    public var summary: [String] {
        ["loaded \(loadReport.loaded) pretrained tensors from \(weights.lastPathComponent)",
         "new head: Linear(\(model.classifier.inFeatures) → \(model.classifier.outFeatures)) for your classes, on \(model.pooling.rawValue)-pooled tokens"]
    }

    /// `model.safetensors`, else `pytorch_model.bin`, in `folder`.
    private static func weightsFile(in folder: URL) throws -> URL {
        let candidates = ["model.safetensors", "pytorch_model.bin"].map { folder.appendingPathComponent($0) }
        guard let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0.path) }) else {
            throw TrainingError.invalidSetting(
                "weights", "\(folder.path) has no model.safetensors or pytorch_model.bin: give a Hugging Face BERT checkpoint folder")
        }
        return found
    }

    private static func requiredFile(_ name: String, in folder: URL) throws -> URL {
        let url = folder.appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw TrainingError.invalidSetting("weights", "\(folder.path) has no \(name): give a Hugging Face BERT checkpoint folder")
        }
        return url
    }

    /// `max_seq_length` of the folder's `sentence_bert_config.json`, when present.
    private static func sentenceTransformersMaxLength(in folder: URL) -> Int? {
        guard let data = try? Data(contentsOf: folder.appendingPathComponent("sentence_bert_config.json")),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        return (object["max_seq_length"] as? Int).flatMap { $0 > 0 ? $0 : nil }
    }
}
