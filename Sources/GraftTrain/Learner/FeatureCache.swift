import GraftData
import GraftModels
import GraftTensor

/// The output of a model's frozen leading stages for one view of every sample, computed once, so epochs while those
/// stages stay frozen run only the trainable stages and the head. With the whole backbone frozen this is the
/// classic feature cache: head-only epochs train just the classifier.
struct FeatureCache {
    /// Stages `0..<boundary` are frozen and cached; `boundary == stageCount` means pooled features.
    let boundary: Int
    /// [N, …] outputs of stage `boundary - 1` joined by `Classifier.concatenateStageOutputs` (or pooled features).
    let activations: Tensor
    /// Makes a batch of cached rows ready for the stages after `boundary` (`Classifier.trimStageOutput`).
    let trim: (Tensor) throws -> Tensor
    /// [N] int64 labels.
    let labels: Tensor
    /// The dataset index of each cached row (bad images are missing).
    let sampleIndices: [Int]

    /// Most memory a cache may take; larger ones fall back to recomputing the frozen stages.
    static let byteLimit = 3 << 30

    /// Runs the frozen stages (evaluation mode, no gradients, in `precision`) over `loader`'s view of the samples
    /// `groups` of `epoch` on `device`, where the cache stays, calling `batchDone` with each batch's sample count; nil
    /// when the result would exceed `byteLimit` or no image could be read. The outputs are kept as float32 (exactly
    /// the values autocast computed), from which any precision can continue. `used` counts the images read. Under
    /// data-parallel training `groups` are this rank's shares and the ranks then exchange their rows, so each rank
    /// computes its share and every rank ends with the whole cache.
    static func build(
        model: Classifier, device: Device, precision: Precision, boundary: Int, loader: any LabeledBatchSource,
        groups: [[Int]], epoch: Int, dataParallel: DataParallel?, batchDone: (Int) throws -> Void
    ) throws -> (cache: FeatureCache?, skipped: [SkippedSample], used: Int) {
        let wasTraining = model.isTraining
        model.eval()
        defer { model.train(wasTraining) }
        let batches = loader.labeledBatches(groups: groups, epoch: epoch)
        var parts: [Tensor] = [], labelParts: [Tensor] = [], indices: [Int] = []
        var tooLarge = false, used = 0, largestSampleBytes = 0
        let pooled = boundary == model.stageCount
        try withNoGrad {
            while let batch = try batches.next(on: device) {
                used += batch.count
                // Whole-backbone features may be computed channels-last (pooled, so the layout does not leak); partial stage
                // outputs stay NCHW because training continues from them.
                let output = try withPrecision(precision, on: device) {
                    pooled ? try model.features(model.backboneInput(batch.inputs)) : try model.stages(0..<boundary, batch.inputs)
                }.float()
                // Outputs joined by `concatenateStageOutputs` take the largest sample's size (text pads to the longest).
                largestSampleBytes = max(largestSampleBytes, output.count / max(batch.count, 1) * 4)
                if largestSampleBytes * loader.sampleCount > byteLimit {
                    tooLarge = true
                    return
                }
                parts.append(output)
                labelParts.append(batch.labels)
                indices += batch.sampleIndices
                try batchDone(batch.count)
            }
        }
        guard let dataParallel else {
            guard !tooLarge, !parts.isEmpty else { return (nil, batches.skipped, used) }
            let cache = try joined(parts, model: model, boundary: boundary, labels: Tensor.cat(labelParts), sampleIndices: indices)
            return (cache, batches.skipped, used)
        }
        // Every rank takes the same way: all cache, or none does.
        guard try !dataParallel.anyRank(tooLarge) else { return (nil, batches.skipped, used) }
        let local = try parts.isEmpty ? nil
            : joined(parts, model: model, boundary: boundary, labels: Tensor.cat(labelParts), sampleIndices: indices)
        return (try dataParallel.gathered(local, model: model, boundary: boundary, device: device), batches.skipped, used)
    }

    /// This cache carried on to the deeper boundary `target`: stages `boundary..<target` (and the pooling, when
    /// `target` is the stage count) run in evaluation mode without gradients, in `precision`, over the cached rows, in
    /// chunks. For a source whose samples do not vary by epoch this equals building the cache at `target` (within
    /// float rounding: rows are padded per chunk), without another pass through the shallower stages.
    func advanced(model: Classifier, to target: Int, precision: Precision, chunkSize: Int = 64) throws -> FeatureCache {
        let wasTraining = model.isTraining
        model.eval()
        defer { model.train(wasTraining) }
        let parts = try withNoGrad {
            try batches(groups: Self.chunks(sampleIndices, size: chunkSize)).map { chunk in
                try withPrecision(precision, on: activations.device) {
                    let output = try model.stages(boundary..<target, chunk.activations)
                    return target == model.stageCount ? try model.pool(output) : output
                }.float()
            }
        }
        return try Self.joined(parts, model: model, boundary: target, labels: labels, sampleIndices: sampleIndices)
    }

    /// A cache of the outputs `parts` at `boundary`: pooled features concatenated, stage outputs joined by
    /// `Classifier.concatenateStageOutputs` and trimmed per batch by `Classifier.trimStageOutput`.
    static func joined(_ parts: [Tensor], model: Classifier, boundary: Int, labels: Tensor, sampleIndices: [Int]) throws -> FeatureCache {
        let pooled = boundary == model.stageCount
        let activations = try withNoGrad { try pooled ? Tensor.cat(parts) : model.concatenateStageOutputs(parts) }
        let trim: (Tensor) throws -> Tensor = pooled ? { $0 } : { try model.trimStageOutput($0) }
        return FeatureCache(boundary: boundary, activations: activations, trim: trim, labels: labels, sampleIndices: sampleIndices)
    }

    /// Batches of cached rows for the dataset-index `groups`, each trimmed by `trim`, with the group's position;
    /// samples missing from the cache (unreadable images) are left out, and a group left empty yields no batch.
    func batches(groups: [[Int]]) throws -> [(activations: Tensor, labels: Tensor, group: Int)] {
        var rowOfSample: [Int: Int] = [:]
        for (row, sample) in sampleIndices.enumerated() { rowOfSample[sample] = row }
        return try groups.enumerated().compactMap { position, group in
            let rows = group.compactMap { rowOfSample[$0] }
            guard !rows.isEmpty else { return nil }
            let index = try Tensor(rows.map { Int64($0) }).to(device: activations.device)
            return (try trim(activations.indexSelect(dim: 0, index: index)), try labels.indexSelect(dim: 0, index: index), position)
        }
    }

    /// `indices` cut into groups of `size` (the last may be smaller).
    static func chunks(_ indices: [Int], size: Int) -> [[Int]] {
        stride(from: 0, to: indices.count, by: size).map { Array(indices[$0..<min($0 + size, indices.count)]) }
    }
}

/// The learner's caches for the current frozen boundary and trained groups; rebuilt when either changes.
struct FeatureCaches {
    /// Cached training-image outputs.
    var training: FeatureCache?
    /// Cached validation-image outputs.
    var validation: FeatureCache?
    /// The (frozen stages, trained groups) the caches were built (or refused) for.
    var key: [Int]?
    /// The training and validation outputs of the `Learner.plannedFrozenStages` stages, kept for the whole run when
    /// the samples do not vary by epoch; every later boundary's caches are derived from them.
    var planned: (training: FeatureCache, validation: FeatureCache)?
}

extension Learner {
    /// Number of leading backbone stages whose parameters are all frozen.
    var frozenStages: Int {
        let groups = model.layerGroups
        return (0..<model.stageCount).first { model.parameters(in: groups[$0]).contains { $0.1.requiresGrad } } ?? model.stageCount
    }

    /// Caches the frozen stages' outputs when what is frozen changed (one augmented view of this epoch per training
    /// image); falls back to recomputing when the cache would not fit in memory. When a callback needs the training
    /// batches as images (mixup/CutMix), only the validation images' outputs are cached.
    func prepareCaches() throws {
        let boundary = frozenStages
        let imagesNeeded = callbacks.contains { $0.needsTrainingImages }
        let key = [boundary, optimizer.groups.count, imagesNeeded ? 1 : 0]
        guard caches.key != key else { return }
        caches = FeatureCaches(key: key, planned: caches.planned)
        guard cacheFeatures, boundary > 0 else { return }
        if !imagesNeeded, !trainLoader.variesByEpoch, let planned = plannedFrozenStages, (1...boundary).contains(planned),
           planned < model.stageCount, try deriveCaches(from: planned, to: boundary) {
            return
        }
        let what = boundary == model.stageCount ? "backbone features" : "outputs of the \(boundary) frozen stages"
        let noun = trainLoader.sampleNoun
        if imagesNeeded {
            send(LearnerMessage(.note, "training batches are mixed as images (mixup/CutMix), so training recomputes the \(what); caching those of the \(validationLoader.sampleCount) validation images"))
        } else {
            send(LearnerMessage(.note, "caching \(what) of \(trainLoader.sampleCount) training \(noun) (the frozen part runs once per \(noun.dropLast()))"))
            caches.training = try cache(.cacheTraining, boundary: boundary, loader: cacheLoader, epoch: epoch)
        }
        let trainingReady = imagesNeeded || caches.training != nil
        caches.validation = try trainingReady ? cache(.cacheValidation, boundary: boundary, loader: validationLoader, epoch: epoch) : nil
        if !trainingReady || caches.validation == nil {
            caches = FeatureCaches(key: key)
            send(LearnerMessage(.note, "the cache would exceed \(FeatureCache.byteLimit >> 30) GiB; recomputing the frozen stages instead"))
        }
    }

    /// Sets the caches of `boundary` from those of the planned boundary (built first when missing): the frozen
    /// layers run once per sample for the whole run. False when the planned caches would not fit in memory.
    private func deriveCaches(from planned: Int, to boundary: Int) throws -> Bool {
        if caches.planned?.training.boundary != planned {
            let noun = trainLoader.sampleNoun
            send(LearnerMessage(.note, "caching outputs of the \(planned) frozen stages of \(trainLoader.sampleCount) training \(noun) once: the phase plan keeps them frozen to the end, so later phases reuse them"))
            guard let training = try cache(.cacheTraining, boundary: planned, loader: cacheLoader, epoch: epoch),
                  let validation = try cache(.cacheValidation, boundary: planned, loader: validationLoader, epoch: epoch) else { return false }
            caches.planned = (training, validation)
        }
        guard let base = caches.planned else { return false }
        if boundary > planned {
            let what = boundary == model.stageCount ? "backbone features" : "outputs of the \(boundary) frozen stages"
            send(LearnerMessage(.note, "\(what) derived from the cached outputs of the \(planned) frozen stages"))
        }
        caches.training = try boundary == planned ? base.training : base.training.advanced(model: model, to: boundary, precision: precision)
        caches.validation = try boundary == planned ? base.validation : base.validation.advanced(model: model, to: boundary, precision: precision)
        return true
    }

    private func cache(_ stage: LearnerStage, boundary: Int, loader: any LabeledBatchSource, epoch: Int) throws -> FeatureCache? {
        let groups = shared(loader.batchGroups(epoch: epoch))
        beginStage(stage, batches: groups.count)
        let (cache, skipped, used) = try FeatureCache.build(model: model, device: device, precision: precision, boundary: boundary,
                                                            loader: loader, groups: groups, epoch: epoch,
                                                            dataParallel: dataParallel) { count in
            batchIndex += 1
            stageSamples += count
            try each { try $0.batchEnded(self) }
        }
        warnSkipped(skipped)
        if dataParallel == nil || cache == nil { try requireUsableImages(stage, used: used, skipped: skipped) }
        return cache
    }
}
