import GraftData
import GraftModels
import GraftTensor

/// Backbone features of every sample, computed once while the backbone is frozen, so head-only epochs train the
/// classifier alone instead of re-running the whole network.
struct FeatureCache {
    /// [N, features] float32.
    let features: Tensor
    /// [N] int64.
    let labels: Tensor

    var count: Int { labels.count }

    /// Runs the frozen backbone (eval mode) over one view of every sample of `loader`, in the loader's order.
    static func build(
        model: ImageClassifier, loader: DataLoader<AnyImageDataset>, epoch: Int, stage: String, observer: TrainingObserver
    ) throws -> FeatureCache {
        let wasTraining = model.isTraining
        model.eval()
        defer { model.train(wasTraining) }
        let batches = loader.batches(epoch: epoch)
        var featureParts: [Tensor] = []
        var labelParts: [Tensor] = []
        let clock = Stopwatch()
        var seen = 0
        try withNoGrad {
            while let batch = try batches.next() {
                let (images, labels) = try batch.tensors()
                featureParts.append(try model.features(model.backboneInput(images)))
                labelParts.append(labels)
                seen += batch.count
                observer.batchFinished(BatchProgress(
                    stage: stage, epoch: epoch, batch: featureParts.count, batches: loader.batchCount, loss: nil,
                    accuracy: nil, imagesPerSecond: Double(seen) / max(clock.seconds, 1e-9), elapsed: clock.seconds))
            }
        }
        for skipped in batches.skipped { observer.warning("skipped \(skipped.name): \(skipped.reason)") }
        guard !featureParts.isEmpty else { throw TrainingError.invalidConfiguration("no readable images to cache features from") }
        return FeatureCache(features: try Tensor.cat(featureParts), labels: try Tensor.cat(labelParts))
    }

    /// Batches of (features, labels), shuffled by `shuffleSeed` when given.
    func batches(batchSize: Int, shuffleSeed: UInt64?) throws -> [(features: Tensor, labels: Tensor)] {
        var order = Array(0..<count)
        if let shuffleSeed {
            var random = SeededRandom(seed: shuffleSeed)
            random.shuffle(&order)
        }
        return try stride(from: 0, to: count, by: batchSize).map { start in
            let index = try Tensor(order[start..<min(start + batchSize, count)].map { Int64($0) })
            return (try features.indexSelect(dim: 0, index: index), try labels.indexSelect(dim: 0, index: index))
        }
    }
}
