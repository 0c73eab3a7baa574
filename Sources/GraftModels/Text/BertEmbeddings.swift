import GraftNN
import GraftTensor

/// BERT's input layer (Hugging Face `BertEmbeddings`): word + token type + absolute position embeddings, then
/// LayerNorm and dropout.
public final class BertEmbeddings: Module {
    /// [vocab_size, hidden].
    public let wordEmbeddings: Embedding
    /// [max_position_embeddings, hidden].
    public let positionEmbeddings: Embedding
    /// [type_vocab_size, hidden].
    public let tokenTypeEmbeddings: Embedding
    /// Normalises the summed embeddings.
    public let layerNorm: LayerNorm
    /// Drops elements of the normalised embeddings while training.
    public let dropout: Dropout

    /// Layers sized by `configuration`, randomly initialised (seeded by `Engine.manualSeed`).
    public init(_ configuration: BertConfiguration) throws {
        let hidden = configuration.hiddenSize
        wordEmbeddings = try Embedding(configuration.vocabSize, hidden, paddingIndex: configuration.padTokenId)
        positionEmbeddings = try Embedding(configuration.maxPositionEmbeddings, hidden)
        tokenTypeEmbeddings = try Embedding(configuration.typeVocabSize, hidden)
        layerNorm = try LayerNorm(hidden, eps: configuration.layerNormEps)
        dropout = try Dropout(p: configuration.hiddenDropoutProb)
        super.init()
    }

    public override var namedChildren: [(String, Module)] {
        [("word_embeddings", wordEmbeddings), ("position_embeddings", positionEmbeddings),
         ("token_type_embeddings", tokenTypeEmbeddings), ("LayerNorm", layerNorm), ("dropout", dropout)]
    }

    /// Embeddings [N, L, hidden] of token ids and token type ids [N, L] (int64), at positions 0..<L.
    public func forward(ids: Tensor, typeIds: Tensor) throws -> Tensor {
        let length = ids.shape[ids.rank - 1]
        guard length <= positionEmbeddings.count else {
            throw NNError.invalidConfiguration(
                "BERT input of \(length) tokens is longer than the model's \(positionEmbeddings.count) positions (max_position_embeddings)")
        }
        try Self.checkRange(ids, rows: wordEmbeddings.count, what: "token id", key: "vocab_size")
        try Self.checkRange(typeIds, rows: tokenTypeEmbeddings.count, what: "token type id", key: "type_vocab_size")
        let positions = try Tensor.arange(0, Double(length), dtype: .int64, device: ids.device)
        // Summed in Hugging Face's order (words + types, then positions) so float rounding matches.
        let embeddings = try wordEmbeddings(ids) + tokenTypeEmbeddings(typeIds)
        try embeddings.add_(positionEmbeddings(positions))
        return try dropout(layerNorm(embeddings))
    }

    /// Throws naming the value and the configuration key when an index is outside a table of `rows` rows (libtorch's
    /// own message would not say which input was wrong).
    private static func checkRange(_ indices: Tensor, rows: Int, what: String, key: String) throws {
        let (low, high) = (Int(try indices.min().item()), Int(try indices.max().item()))
        guard low >= 0, high < rows else {
            throw NNError.invalidConfiguration(
                "BERT input: \(what) \(low < 0 ? low : high) is outside the model's \(rows) (\(key)); was the text tokenized with this model's vocabulary?")
        }
    }
}
