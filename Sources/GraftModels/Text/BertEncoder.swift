import GraftNN
import GraftTensor

/// A BERT-family encoder (Hugging Face `BertModel`) whose state-dict names are Hugging Face's
/// (`embeddings.word_embeddings.weight`, `encoder.layer.0.attention.self.query.weight`, …, `pooler.dense.weight`), so
/// its weights load from and export to `transformers` checkpoints 1:1.
public final class BertEncoder: Module {
    /// The shape it was built with.
    public let configuration: BertConfiguration
    /// Word, position and token type embeddings.
    public let embeddings: BertEmbeddings
    /// The transformer layers, in order.
    public let layers: [BertLayer]
    /// The `[CLS]` pooler (dense + tanh), when built with one.
    public let pooler: BertPooler?
    private let stack: LayerStack

    /// An encoder shaped by `configuration` (validated), randomly initialised (seeded by `Engine.manualSeed`), with
    /// Hugging Face's `[CLS]` pooler when `withPooler` (classification on pooled tokens does not need it).
    public init(_ configuration: BertConfiguration, withPooler: Bool = false) throws {
        try configuration.validate()
        self.configuration = configuration
        embeddings = try BertEmbeddings(configuration)
        layers = try (0..<configuration.numHiddenLayers).map { _ in try BertLayer(configuration) }
        stack = LayerStack(layers)
        pooler = withPooler ? try BertPooler(configuration) : nil
        super.init()
    }

    public override var typeName: String { "BertModel" }

    public override var namedChildren: [(String, Module)] {
        [("embeddings", embeddings), ("encoder", stack)] + (pooler.map { [("pooler", $0)] } ?? [])
    }

    /// Last hidden states [N, L, hidden] of token ids, token type ids and attention mask [N, L] (int64; mask 1 for a
    /// token, 0 for padding), at positions 0..<L. Padded positions are zero: the layers run on real tokens only
    /// (Hugging Face computes values there that no pooling reads); real tokens' states are Hugging Face's.
    public func forward(ids: Tensor, typeIds: Tensor, mask: Tensor) throws -> Tensor {
        try Self.checkInputs(ids: ids, typeIds: typeIds, mask: mask)
        let hidden = try embeddings.forward(ids: ids, typeIds: typeIds)
        let layout = try TokenLayout(mask: mask, dtype: hidden.dtype)
        var tokens = try layout.packed(hidden)
        for layer in layers { tokens = try layer.forward(tokens, layout: layout) }
        return try layout.padded(tokens)
    }

    /// Last hidden states [N, L, hidden] of packed token rows [N, 3, L] (see `TextClassifier.pack`).
    public override func forward(_ packed: Tensor) throws -> Tensor {
        let (ids, typeIds, mask) = try TextClassifier.unpack(packed)
        return try forward(ids: ids, typeIds: typeIds, mask: mask)
    }

    /// Throws naming the input whose dtype or shape is not int64 [N, L] like the token ids.
    static func checkInputs(ids: Tensor, typeIds: Tensor, mask: Tensor) throws {
        for (name, tensor) in [("token ids", ids), ("token type ids", typeIds), ("attention mask", mask)] {
            guard tensor.rank == 2, tensor.dtype == .int64 else {
                throw NNError.invalidConfiguration("BERT input: \(name) must be int64 [N, L], got \(tensor.dtype) \(tensor.shape)")
            }
            guard tensor.shape == ids.shape else {
                throw NNError.invalidConfiguration("BERT input: \(name) have shape \(tensor.shape), the token ids \(ids.shape)")
            }
        }
        guard ids.shape[0] >= 1, ids.shape[1] >= 1 else {
            throw NNError.invalidConfiguration("BERT input: an empty batch of token rows \(ids.shape)")
        }
    }
}

/// Hugging Face's `BertEncoder` container: the layers under the name `layer`, as a `ModuleList`.
final class LayerStack: Module {
    let list: Sequential

    init(_ layers: [BertLayer]) {
        list = Sequential(layers, typeName: "ModuleList")
        super.init()
    }

    override var typeName: String { "BertEncoder" }
    override var namedChildren: [(String, Module)] { [("layer", list)] }
}
