import GraftNN
import GraftTensor

/// A projection back to the hidden width followed by dropout, the residual sum and LayerNorm: Hugging Face's
/// `BertSelfOutput` (after attention) and `BertOutput` (after the feed-forward layer), which differ only in input width.
public final class BertResidualOutput: Module {
    /// Projection input width → hidden.
    public let dense: Linear
    /// Normalises the residual sum.
    public let layerNorm: LayerNorm
    /// Drops elements of the projection while training.
    public let dropout: Dropout
    private let displayName: String

    /// A block projecting `inFeatures` to the configuration's hidden width; `typeName` names it in printouts.
    public init(inFeatures: Int, _ configuration: BertConfiguration, typeName: String) throws {
        dense = try Linear(inFeatures, configuration.hiddenSize)
        layerNorm = try LayerNorm(configuration.hiddenSize, eps: configuration.layerNormEps)
        dropout = try Dropout(p: configuration.hiddenDropoutProb)
        displayName = typeName
        super.init()
    }

    public override var typeName: String { displayName }

    public override var namedChildren: [(String, Module)] {
        [("dense", dense), ("LayerNorm", layerNorm), ("dropout", dropout)]
    }

    /// LayerNorm(dropout(dense(hidden)) + residual).
    public func forward(_ hidden: Tensor, residual: Tensor) throws -> Tensor {
        // The projection (or its dropout output) is a fresh tensor whose backward does not need its value: add in place.
        let sum = try dropout(dense(hidden))
        try sum.add_(residual)
        return try layerNorm(sum)
    }
}
