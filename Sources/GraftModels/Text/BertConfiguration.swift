import Foundation
import GraftNN

/// The shape of a BERT-family encoder, decoded from a Hugging Face `config.json` (missing keys take `BertConfig`'s
/// defaults) and encoded with the same keys (so a fine-tuned encoder can be saved as a Hugging Face folder, and a
/// checkpoint can carry it). Only what Graft computes exactly is accepted: absolute position embeddings and the erf
/// form of GELU.
public struct BertConfiguration: Codable, Sendable, Equatable {
    /// Rows of the word-embedding table.
    public var vocabSize: Int
    /// Width of every hidden state.
    public var hiddenSize: Int
    /// Number of transformer layers.
    public var numHiddenLayers: Int
    /// Attention heads per layer; must divide `hiddenSize`.
    public var numAttentionHeads: Int
    /// Width of the feed-forward layer.
    public var intermediateSize: Int
    /// The feed-forward activation; only `gelu` (erf form) is supported.
    public var hiddenAct: String
    /// The longest input, in tokens.
    public var maxPositionEmbeddings: Int
    /// Rows of the token-type (segment) table.
    public var typeVocabSize: Int
    /// LayerNorm's epsilon.
    public var layerNormEps: Double
    /// Dropout after the embeddings, every residual branch and before a classification head.
    public var hiddenDropoutProb: Double
    /// Dropout of the attention probabilities.
    public var attentionProbsDropoutProb: Double
    /// How positions are encoded; only `absolute` is supported.
    public var positionEmbeddingType: String
    /// The word id of padding, whose embedding gets no gradient (nil: none).
    public var padTokenId: Int?
    /// The Hugging Face model family (`bert`), when the file names one.
    public var modelType: String?

    /// A configuration (defaults: BERT-base's, as `transformers.BertConfig`), validated.
    public init(
        vocabSize: Int = 30522, hiddenSize: Int = 768, numHiddenLayers: Int = 12, numAttentionHeads: Int = 12,
        intermediateSize: Int = 3072, hiddenAct: String = "gelu", maxPositionEmbeddings: Int = 512, typeVocabSize: Int = 2,
        layerNormEps: Double = 1e-12, hiddenDropoutProb: Double = 0.1, attentionProbsDropoutProb: Double = 0.1,
        positionEmbeddingType: String = "absolute", padTokenId: Int? = 0, modelType: String? = "bert"
    ) throws {
        self.vocabSize = vocabSize
        self.hiddenSize = hiddenSize
        self.numHiddenLayers = numHiddenLayers
        self.numAttentionHeads = numAttentionHeads
        self.intermediateSize = intermediateSize
        self.hiddenAct = hiddenAct
        self.maxPositionEmbeddings = maxPositionEmbeddings
        self.typeVocabSize = typeVocabSize
        self.layerNormEps = layerNormEps
        self.hiddenDropoutProb = hiddenDropoutProb
        self.attentionProbsDropoutProb = attentionProbsDropoutProb
        self.positionEmbeddingType = positionEmbeddingType
        self.padTokenId = padTokenId
        self.modelType = modelType
        try validate()
    }

    enum CodingKeys: String, CodingKey {
        case vocabSize = "vocab_size", hiddenSize = "hidden_size", numHiddenLayers = "num_hidden_layers"
        case numAttentionHeads = "num_attention_heads", intermediateSize = "intermediate_size", hiddenAct = "hidden_act"
        case maxPositionEmbeddings = "max_position_embeddings", typeVocabSize = "type_vocab_size"
        case layerNormEps = "layer_norm_eps", hiddenDropoutProb = "hidden_dropout_prob"
        case attentionProbsDropoutProb = "attention_probs_dropout_prob", positionEmbeddingType = "position_embedding_type"
        case padTokenId = "pad_token_id", modelType = "model_type"
    }

    /// Decodes and validates a `config.json` object.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            vocabSize: c.decodeIfPresent(Int.self, forKey: .vocabSize) ?? 30522,
            hiddenSize: c.decodeIfPresent(Int.self, forKey: .hiddenSize) ?? 768,
            numHiddenLayers: c.decodeIfPresent(Int.self, forKey: .numHiddenLayers) ?? 12,
            numAttentionHeads: c.decodeIfPresent(Int.self, forKey: .numAttentionHeads) ?? 12,
            intermediateSize: c.decodeIfPresent(Int.self, forKey: .intermediateSize) ?? 3072,
            hiddenAct: c.decodeIfPresent(String.self, forKey: .hiddenAct) ?? "gelu",
            maxPositionEmbeddings: c.decodeIfPresent(Int.self, forKey: .maxPositionEmbeddings) ?? 512,
            typeVocabSize: c.decodeIfPresent(Int.self, forKey: .typeVocabSize) ?? 2,
            layerNormEps: c.decodeIfPresent(Double.self, forKey: .layerNormEps) ?? 1e-12,
            hiddenDropoutProb: c.decodeIfPresent(Double.self, forKey: .hiddenDropoutProb) ?? 0.1,
            attentionProbsDropoutProb: c.decodeIfPresent(Double.self, forKey: .attentionProbsDropoutProb) ?? 0.1,
            positionEmbeddingType: c.decodeIfPresent(String.self, forKey: .positionEmbeddingType) ?? "absolute",
            padTokenId: c.contains(.padTokenId) ? c.decodeIfPresent(Int.self, forKey: .padTokenId) : 0,
            modelType: c.decodeIfPresent(String.self, forKey: .modelType))
    }

    /// Encodes every key with Hugging Face's names (`model_type` and `pad_token_id` as null when unset).
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(vocabSize, forKey: .vocabSize)
        try c.encode(hiddenSize, forKey: .hiddenSize)
        try c.encode(numHiddenLayers, forKey: .numHiddenLayers)
        try c.encode(numAttentionHeads, forKey: .numAttentionHeads)
        try c.encode(intermediateSize, forKey: .intermediateSize)
        try c.encode(hiddenAct, forKey: .hiddenAct)
        try c.encode(maxPositionEmbeddings, forKey: .maxPositionEmbeddings)
        try c.encode(typeVocabSize, forKey: .typeVocabSize)
        try c.encode(layerNormEps, forKey: .layerNormEps)
        try c.encode(hiddenDropoutProb, forKey: .hiddenDropoutProb)
        try c.encode(attentionProbsDropoutProb, forKey: .attentionProbsDropoutProb)
        try c.encode(positionEmbeddingType, forKey: .positionEmbeddingType)
        try c.encode(padTokenId, forKey: .padTokenId)
        try c.encode(modelType, forKey: .modelType)
    }

    /// The configuration in a Hugging Face `config.json` file; errors name the file and the offending key.
    public init(contentsOf url: URL) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw NNError.invalidConfiguration("cannot read the BERT configuration \(url.path): \(error.localizedDescription)")
        }
        do {
            self = try JSONDecoder().decode(BertConfiguration.self, from: data)
        } catch let error as NNError {
            throw NNError.invalidConfiguration("\(url.path): \(error)")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            let key = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw NNError.invalidConfiguration("\(url.path): '\(key)' has the wrong type: \(context.debugDescription)")
        } catch {
            throw NNError.invalidConfiguration("\(url.path) is not a valid BERT config.json: \(error)")
        }
    }

    /// Width of one attention head.
    public var headSize: Int { hiddenSize / numAttentionHeads }

    /// Throws naming the first `config.json` key whose value Graft cannot build or compute exactly.
    public func validate() throws {
        let positive: [(String, Int)] = [
            ("vocab_size", vocabSize), ("hidden_size", hiddenSize), ("num_hidden_layers", numHiddenLayers),
            ("num_attention_heads", numAttentionHeads), ("intermediate_size", intermediateSize),
            ("max_position_embeddings", maxPositionEmbeddings), ("type_vocab_size", typeVocabSize),
        ]
        for (key, value) in positive where value < 1 {
            throw NNError.invalidConfiguration("BERT config: \(key) must be at least 1, got \(value)")
        }
        if let padTokenId, !(0..<vocabSize).contains(padTokenId) {
            throw NNError.invalidConfiguration("BERT config: pad_token_id \(padTokenId) is outside the vocabulary of \(vocabSize) words")
        }
        guard hiddenSize % numAttentionHeads == 0 else {
            throw NNError.invalidConfiguration(
                "BERT config: hidden_size \(hiddenSize) is not a multiple of num_attention_heads \(numAttentionHeads)")
        }
        guard layerNormEps > 0, layerNormEps.isFinite else {
            throw NNError.invalidConfiguration("BERT config: layer_norm_eps must be positive, got \(layerNormEps)")
        }
        for (key, p) in [("hidden_dropout_prob", hiddenDropoutProb), ("attention_probs_dropout_prob", attentionProbsDropoutProb)]
        where !(0..<1).contains(p) {
            throw NNError.invalidConfiguration("BERT config: \(key) must be in [0, 1), got \(p)")
        }
        guard hiddenAct == "gelu" else {
            throw NNError.invalidConfiguration(
                "BERT config: hidden_act '\(hiddenAct)' is not supported; Graft computes only 'gelu' (the exact erf form)")
        }
        guard positionEmbeddingType == "absolute" else {
            throw NNError.invalidConfiguration(
                "BERT config: position_embedding_type '\(positionEmbeddingType)' is not supported; only 'absolute' is")
        }
        if let modelType, modelType != "bert" {
            throw NNError.invalidConfiguration(
                "BERT config: model_type '\(modelType)' is not supported; Graft builds BERT encoders (model_type 'bert')")
        }
    }
}
