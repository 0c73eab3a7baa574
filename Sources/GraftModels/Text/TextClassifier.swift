import GraftNN
import GraftTensor

/// A pretrained text classifier: a BERT-family encoder, pooling of its token states into one vector per text, and a
/// replaceable linear head. Its state-dict names are Hugging Face `BertForSequenceClassification`'s (`bert.…`,
/// `classifier.weight`, `classifier.bias`). Inputs are packed token rows [N, 3, L] (int64: ids, token type ids,
/// attention mask), see `pack(ids:typeIds:mask:)`.
public final class TextClassifier: Classifier {
    /// The transformer producing per-token hidden states.
    public let encoder: BertEncoder
    /// How token states become one feature vector per text.
    public let pooling: TextPooling
    /// Dropout before the head while training, at the encoder's `hidden_dropout_prob`.
    public let dropout: Dropout

    /// A classifier over `encoder` (which must be built without a pooler: classification uses `pooling`) with a fresh
    /// `Linear(hidden, numClasses)` head initialised like PyTorch's from the generator seeded by `Engine.manualSeed`.
    public init(name: String, encoder: BertEncoder, pooling: TextPooling, numClasses: Int) throws {
        guard encoder.pooler == nil else {
            throw NNError.invalidConfiguration(
                "TextClassifier pools with '\(pooling.rawValue)' and does not use BERT's pooler; build the encoder with withPooler: false")
        }
        guard numClasses >= 1 else { throw NNError.invalidConfiguration("numClasses must be at least 1, got \(numClasses)") }
        self.encoder = encoder
        self.pooling = pooling
        dropout = try Dropout(p: encoder.configuration.hiddenDropoutProb)
        super.init(name: name, classifier: try Linear(encoder.configuration.hiddenSize, numClasses))
    }

    public override var typeName: String { "BertForSequenceClassification" }

    public override var namedChildren: [(String, Module)] {
        [("bert", encoder), ("dropout", dropout), ("classifier", classifier)]
    }

    /// Groups from the input side to the head: `embeddings`, `layer0` … `layer{N-1}`, `head`.
    public override var layerGroups: [LayerGroup] {
        [LayerGroup("embeddings", ["bert.embeddings"])]
            + encoder.layers.indices.map { LayerGroup("layer\($0)", ["bert.encoder.layer.\($0)"]) }
            + [LayerGroup("head", ["classifier"])]
    }

    /// Pooled encoder output [N, hidden] of packed token rows [N, 3, L]: the features the head classifies.
    public override func features(_ packed: Tensor) throws -> Tensor {
        let (ids, typeIds, mask) = try Self.unpack(packed)
        return try pooling.pool(encoder.forward(ids: ids, typeIds: typeIds, mask: mask), mask: mask)
    }

    /// Class scores [N, classes] of features [N, hidden]: dropout while training, then the head.
    public override func classify(features: Tensor) throws -> Tensor {
        try classifier(dropout(features))
    }

    // MARK: Stages
    // The encoder as stages, one per layer group except the head (as `ImageClassifier` has): the embeddings, then each
    // transformer layer. Between stages the hidden states travel together with the attention mask as one float tensor
    // [N, L, hidden + 1] whose last column is the mask; `pool(_:)` turns the last stage's output into features. Batches
    // are padded to their own longest text, so stage outputs of different batches differ in length: cached together
    // they are padded to the longest (`concatenateStageOutputs`), and batches of cached rows cut back to their own
    // longest text (`trimStageOutput`).

    /// Runs stage `index`: 0 embeds packed token rows [N, 3, L]; `k ≥ 1` runs transformer layer `k − 1` on the
    /// previous stage's [N, L, hidden + 1] output. Returns [N, L, hidden + 1].
    public override func stage(_ index: Int, _ input: Tensor) throws -> Tensor {
        guard (0..<stageCount).contains(index) else {
            throw NNError.invalidConfiguration("\(name) has stages 0..<\(stageCount), not \(index)")
        }
        if index == 0 {
            let (ids, typeIds, mask) = try Self.unpack(input)
            try BertEncoder.checkInputs(ids: ids, typeIds: typeIds, mask: mask)
            let hidden = try encoder.embeddings.forward(ids: ids, typeIds: typeIds)
            return try Tensor.cat([hidden, mask.to(hidden.dtype).unsqueeze(dim: 2)], dim: 2)
        }
        let (hidden, mask) = try split(input)
        let layout = try TokenLayout(mask: mask, dtype: hidden.dtype)
        let output = try layout.padded(encoder.layers[index - 1].forward(layout.packed(hidden), layout: layout))
        return try Tensor.cat([output, mask.unsqueeze(dim: 2)], dim: 2)
    }

    /// Features [N, hidden] of the last stage's output [N, L, hidden + 1], pooled with `pooling`.
    public override func pool(_ input: Tensor) throws -> Tensor {
        let (hidden, mask) = try split(input)
        return try pooling.pool(hidden, mask: mask)
    }

    /// Stage outputs [N_i, L_i, hidden + 1] padded with zeros along dim 1 to the longest L_i, then joined along dim 0.
    /// Padded positions have mask 0, so later stages and pooling ignore them.
    public override func concatenateStageOutputs(_ outputs: [Tensor]) throws -> Tensor {
        for output in outputs { _ = try split(output) }
        let length = outputs.map { $0.shape[1] }.max() ?? 0
        let padded = try outputs.map { output in
            guard output.shape[1] < length else { return output }
            let padding = try Tensor.zeros([output.shape[0], length - output.shape[1], output.shape[2]], dtype: output.dtype, device: output.device)
            return try Tensor.cat([output, padding], dim: 1)
        }
        return try Tensor.cat(padded)
    }

    /// A stage output [N, L, hidden + 1] cut along dim 1 to its rows' longest text (the largest mask sum), as the
    /// loader would have padded those rows batched together.
    public override func trimStageOutput(_ output: Tensor) throws -> Tensor {
        let (_, mask) = try split(output)
        let length = Int(try mask.sum(dims: [1]).max().item().rounded())
        return length < output.shape[1] ? try output.slice(dim: 1, start: 0, end: length) : output
    }

    /// The hidden states [N, L, hidden] and the float mask [N, L] of a stage output.
    private func split(_ input: Tensor) throws -> (hidden: Tensor, mask: Tensor) {
        let width = encoder.configuration.hiddenSize
        guard input.rank == 3, input.shape[2] == width + 1 else {
            throw NNError.invalidConfiguration(
                "\(name): a stage output must be [N, L, \(width + 1)] (hidden states and the mask), got \(input.shape)")
        }
        return (try input.slice(dim: 2, start: 0, end: width), try input.select(dim: 2, index: width))
    }

    /// One embedding per text [N, hidden]: the pooled encoder output (mean pooling for all-MiniLM-L6-v2), scaled to
    /// unit length when `normalized` (as the sentence-transformers all-MiniLM-L6-v2 pipeline's last step does).
    public func sentenceEmbedding(_ packed: Tensor, normalized: Bool = false) throws -> Tensor {
        let pooled = try features(packed)
        guard normalized else { return pooled }
        let norms = try pooled.square().sum(dims: [1], keepDim: true).sqrt()
        try norms.clampMin_(1e-12)
        return try pooled / norms
    }

    /// Packs token ids, token type ids and attention masks [N, L] (int64) into the model input [N, 3, L].
    public static func pack(ids: Tensor, typeIds: Tensor, mask: Tensor) throws -> Tensor {
        for (name, tensor) in [("token ids", ids), ("token type ids", typeIds), ("attention mask", mask)] {
            guard tensor.rank == 2, tensor.dtype == .int64, tensor.shape == ids.shape else {
                throw NNError.invalidConfiguration(
                    "TextClassifier.pack: \(name) must be int64 [N, L] like the token ids \(ids.shape), got \(tensor.dtype) \(tensor.shape)")
            }
        }
        return try Tensor.stack([ids, typeIds, mask], dim: 1)
    }

    /// The token ids, token type ids and attention mask [N, L] (views) of packed rows [N, 3, L].
    public static func unpack(_ packed: Tensor) throws -> (ids: Tensor, typeIds: Tensor, mask: Tensor) {
        guard packed.rank == 3, packed.shape[1] == 3, packed.dtype == .int64 else {
            throw NNError.invalidConfiguration(
                "a text model's input must be packed token rows, int64 [N, 3, L] (ids, token type ids, attention mask), got \(packed.dtype) \(packed.shape)")
        }
        return try (packed.select(dim: 1, index: 0), packed.select(dim: 1, index: 1), packed.select(dim: 1, index: 2))
    }
}
