import GraftNN
import GraftTensor

/// Hugging Face's `BertPooler`: tanh(dense(hidden state of the first, `[CLS]`, token)).
public final class BertPooler: Module {
    /// Projection hidden → hidden.
    public let dense: Linear

    /// A pooler sized by `configuration`.
    public init(_ configuration: BertConfiguration) throws {
        dense = try Linear(configuration.hiddenSize, configuration.hiddenSize)
        super.init()
    }

    public override var namedChildren: [(String, Module)] { [("dense", dense)] }

    /// Pooled output [N, hidden] of last hidden states [N, L, hidden].
    public override func forward(_ hidden: Tensor) throws -> Tensor {
        try dense(hidden.select(dim: 1, index: 0)).tanh()
    }
}
