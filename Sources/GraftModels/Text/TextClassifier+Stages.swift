import GraftNN
import GraftTensor

/// The encoder as stages, one per layer group except the head (as `ImageClassifier` has), so a trainer can cache the
/// output of the frozen leading stages and run only the rest. Between stages the hidden states travel together with
/// the attention mask as one float tensor [N, L, hidden + 1] whose last column is the mask; `pool(_:)` turns the last
/// stage's output into features.
extension TextClassifier {
    /// Number of encoder stages: the embeddings, then each transformer layer.
    public var stageCount: Int { encoder.layers.count + 1 }

    /// Runs stage `index`: 0 embeds packed token rows [N, 3, L]; `k ≥ 1` runs transformer layer `k − 1` on the
    /// previous stage's [N, L, hidden + 1] output. Returns [N, L, hidden + 1].
    public func stage(_ index: Int, _ input: Tensor) throws -> Tensor {
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
        let output = try encoder.layers[index - 1].forward(hidden, additiveMask: BertEncoder.additiveMask(mask, dtype: hidden.dtype))
        return try Tensor.cat([output, mask.unsqueeze(dim: 2)], dim: 2)
    }

    /// Runs the stages in `range` in order (the output of stage `range.lowerBound - 1` goes in).
    public func stages(_ range: Range<Int>, _ input: Tensor) throws -> Tensor {
        try range.reduce(input) { try stage($1, $0) }
    }

    /// Features [N, hidden] of the last stage's output [N, L, hidden + 1], pooled with `pooling`.
    public func pool(_ input: Tensor) throws -> Tensor {
        let (hidden, mask) = try split(input)
        return try pooling.pool(hidden, mask: mask)
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
}
