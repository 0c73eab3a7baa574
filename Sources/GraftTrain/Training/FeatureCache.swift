import GraftData
import GraftModels
import GraftTensor

/// The output of a model's frozen leading stages for one view of every sample, computed once, so epochs while those
/// stages stay frozen run only the trainable stages and the head. With the whole backbone frozen this is the
/// classic feature cache: head-only epochs train just the classifier.
struct FeatureCache {
    /// Stages `0..<boundary` are frozen and cached; `boundary == stageCount` means pooled features.
    let boundary: Int
    /// [N, …] outputs of stage `boundary - 1` (or pooled features).
    let activations: Tensor
    /// [N] int64 labels.
    let labels: Tensor
    /// The dataset index of each cached row (bad images are missing).
    let sampleIndices: [Int]

    /// Most memory a cache may take; larger ones fall back to recomputing the frozen stages.
    static let byteLimit = 3 << 30

    /// Runs the frozen stages (evaluation mode, no gradients) over `loader`'s view of every sample of `epoch` on
    /// `device`, where the cache stays; nil when the result would exceed `byteLimit`.
    static func build(
        model: ImageClassifier, device: Device, boundary: Int, loader: DataLoader<AnyImageDataset>, epoch: Int, stage: String,
        observer: TrainingObserver
    ) throws -> FeatureCache? {
        let wasTraining = model.isTraining
        model.eval()
        defer { model.train(wasTraining) }
        let batches = loader.batches(epoch: epoch)
        var parts: [Tensor] = [], labelParts: [Tensor] = [], indices: [Int] = []
        let clock = Stopwatch()
        var tooLarge = false
        try withNoGrad {
            while let batch = try batches.next() {
                let (images, labels) = try batch.tensors(on: device)
                // Whole-backbone features may be computed channels-last (pooled, so the layout does not leak); partial stage
                // outputs stay NCHW because training continues from them.
                let output = boundary == model.stageCount
                    ? try model.features(model.backboneInput(images)) : try model.stages(0..<boundary, images)
                let bytesPerSample = output.count / max(batch.count, 1) * 4
                if bytesPerSample * loader.dataset.count > byteLimit {
                    tooLarge = true
                    return
                }
                parts.append(output)
                labelParts.append(labels)
                indices += batch.sampleIndices
                observer.batchFinished(BatchProgress(
                    stage: stage, epoch: epoch, batch: parts.count, batches: loader.batchCount, loss: nil, accuracy: nil,
                    imagesPerSecond: Double(indices.count) / max(clock.seconds, 1e-9), elapsed: clock.seconds))
            }
        }
        for skipped in batches.skipped { observer.warning("skipped \(skipped.name): \(skipped.reason)") }
        guard !tooLarge, !parts.isEmpty else { return nil }
        return FeatureCache(boundary: boundary, activations: try Tensor.cat(parts), labels: try Tensor.cat(labelParts), sampleIndices: indices)
    }

    /// Batches of cached rows in the order the dataset indices appear in `order`.
    func batches(batchSize: Int, order: [Int]) throws -> [(activations: Tensor, labels: Tensor)] {
        var rowOfSample: [Int: Int] = [:]
        for (row, sample) in sampleIndices.enumerated() { rowOfSample[sample] = row }
        let rows = order.compactMap { rowOfSample[$0] }
        return try stride(from: 0, to: rows.count, by: batchSize).map { start in
            let index = try Tensor(rows[start..<min(start + batchSize, rows.count)].map { Int64($0) }).to(device: activations.device)
            return (try activations.indexSelect(dim: 0, index: index), try labels.indexSelect(dim: 0, index: index))
        }
    }
}
