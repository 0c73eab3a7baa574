import GraftNN
import GraftTensor

extension BertEncoder {
    /// Loads Hugging Face BERT weights (`BertModel`'s names, or any model's `bert.`-prefixed ones such as
    /// `BertForSequenceClassification`'s), converting dtypes. Tensors outside the encoder (a task head, `cls.*`),
    /// the `embeddings.position_ids` buffer and, for an encoder built without one, `pooler.*` are ignored. Any
    /// encoder tensor missing or shaped differently, or an extra tensor under `embeddings.`/`encoder.` (e.g. a
    /// layer the configuration does not have), throws `NNError.stateDictMismatch` naming each one; nothing is
    /// copied then.
    @discardableResult
    public func load(pretrained entries: [(String, Tensor)]) throws -> LoadReport {
        let prefixed = entries.contains { $0.0.hasPrefix("bert.") }
        let relevant = entries.compactMap { name, tensor -> (String, Tensor)? in
            if prefixed && !name.hasPrefix("bert.") { return nil }
            let key = prefixed ? String(name.dropFirst("bert.".count)) : name
            if key == "embeddings.position_ids" || (key.hasPrefix("pooler.") && pooler == nil) { return nil }
            guard ["embeddings.", "encoder.", "pooler."].contains(where: key.hasPrefix) else { return nil }
            return (key, tensor)
        }
        return try load(stateDict: relevant, strict: true)
    }
}
