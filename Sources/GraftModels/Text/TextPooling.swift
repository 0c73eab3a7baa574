import Foundation
import GraftNN
import GraftTensor

/// How a text model turns its per-token hidden states into one vector per text.
public enum TextPooling: String, Sendable, Codable, CaseIterable {
    /// The first (`[CLS]`) token's hidden state, as BERT's own classification heads use.
    case cls
    /// The mean over real (unpadded) tokens, as sentence-transformers models such as all-MiniLM-L6-v2 use.
    case mean

    /// Pooled vectors [N, hidden] of hidden states [N, L, hidden] with the attention mask [N, L] (1 = token).
    public func pool(_ hidden: Tensor, mask: Tensor) throws -> Tensor {
        switch self {
        case .cls:
            return try hidden.select(dim: 1, index: 0)
        case .mean:
            // sentence-transformers' masked mean: Σ mask·h / max(Σ mask, 1e-9).
            let weights = try mask.to(hidden.dtype).unsqueeze(dim: 2)
            let counts = try weights.sum(dims: [1])
            try counts.clampMin_(1e-9)
            return try (hidden * weights).sum(dims: [1]) / counts
        }
    }

    /// The pooling a sentence-transformers `1_Pooling/config.json` names (`pooling_mode_cls_token` or
    /// `pooling_mode_mean_tokens`); other modes (max, mean-sqrt-length, several at once) are refused by name.
    public init(sentenceTransformersConfig url: URL) throws {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(contentsOf: url))
        } catch {
            throw NNError.invalidConfiguration("cannot read the pooling configuration \(url.path): \(error.localizedDescription)")
        }
        guard let modes = object as? [String: Any] else {
            throw NNError.invalidConfiguration("\(url.path) is not a JSON object")
        }
        let enabled = modes.filter { $0.key.hasPrefix("pooling_mode_") && ($0.value as? Bool) == true }.map(\.key).sorted()
        switch enabled {
        case ["pooling_mode_cls_token"]: self = .cls
        case ["pooling_mode_mean_tokens"]: self = .mean
        default:
            throw NNError.invalidConfiguration(
                "\(url.path): pooling \(enabled.isEmpty ? "none" : enabled.joined(separator: " + ")) is not supported; Graft pools with pooling_mode_cls_token or pooling_mode_mean_tokens alone")
        }
    }
}
