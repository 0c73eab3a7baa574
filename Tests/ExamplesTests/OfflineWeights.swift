import Graft
import GraftTestSupport

/// The offline pretrained weights the examples train from.
enum OfflineWeights {
    /// Throws `Prerequisite.missing` unless `make setup` installed the weights of `model`.
    static func require(_ model: String) throws {
        guard OfflineAsset.weights(for: model) != nil else {
            throw Prerequisite.missing("the offline \(model) weights are not installed under \(OfflineAsset.directory.path) (make setup)")
        }
    }
}
