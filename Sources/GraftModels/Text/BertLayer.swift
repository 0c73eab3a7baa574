import GraftNN
import GraftTensor

/// Self-attention and its residual output (Hugging Face `BertAttention`).
public final class BertAttention: Module {
    /// The attention proper.
    public let selfAttention: BertSelfAttention
    /// Projection, residual sum and LayerNorm.
    public let output: BertResidualOutput

    /// Layers sized by `configuration`.
    public init(_ configuration: BertConfiguration) throws {
        selfAttention = try BertSelfAttention(configuration)
        output = try BertResidualOutput(inFeatures: configuration.hiddenSize, configuration, typeName: "BertSelfOutput")
        super.init()
    }

    public override var namedChildren: [(String, Module)] { [("self", selfAttention), ("output", output)] }

    /// Attention over the real tokens' states [T, hidden] laid out by `layout`, with the residual connection.
    public func forward(_ tokens: Tensor, layout: TokenLayout) throws -> Tensor {
        try output.forward(selfAttention.forward(tokens, layout: layout), residual: tokens)
    }

    /// Attention over unpadded states [N, L, hidden].
    public override func forward(_ hidden: Tensor) throws -> Tensor { try TokenLayout.unpadded(hidden, forward) }
}

/// The feed-forward expansion with GELU (Hugging Face `BertIntermediate`).
public final class BertIntermediate: Module {
    /// Projection hidden → intermediate.
    public let dense: Linear

    /// A layer sized by `configuration`.
    public init(_ configuration: BertConfiguration) throws {
        dense = try Linear(configuration.hiddenSize, configuration.intermediateSize)
        super.init()
    }

    public override var namedChildren: [(String, Module)] { [("dense", dense)] }

    /// GELU (erf form, libtorch's `approximate="none"`) of the projection.
    public override func forward(_ hidden: Tensor) throws -> Tensor { try dense(hidden).gelu() }
}

/// One transformer layer (Hugging Face `BertLayer`): attention, then the feed-forward block, each with a residual
/// LayerNorm.
public final class BertLayer: Module {
    /// Attention block.
    public let attention: BertAttention
    /// Feed-forward expansion.
    public let intermediate: BertIntermediate
    /// Feed-forward projection, residual sum and LayerNorm.
    public let output: BertResidualOutput

    /// Layers sized by `configuration`.
    public init(_ configuration: BertConfiguration) throws {
        attention = try BertAttention(configuration)
        intermediate = try BertIntermediate(configuration)
        output = try BertResidualOutput(inFeatures: configuration.intermediateSize, configuration, typeName: "BertOutput")
        super.init()
    }

    public override var namedChildren: [(String, Module)] {
        [("attention", attention), ("intermediate", intermediate), ("output", output)]
    }

    /// The layer's output [T, hidden] for the real tokens' states [T, hidden] laid out by `layout`.
    public func forward(_ tokens: Tensor, layout: TokenLayout) throws -> Tensor {
        let attended = try attention.forward(tokens, layout: layout)
        return try output.forward(intermediate(attended), residual: attended)
    }

    /// The layer's output for unpadded states [N, L, hidden].
    public override func forward(_ hidden: Tensor) throws -> Tensor { try TokenLayout.unpadded(hidden, forward) }
}
