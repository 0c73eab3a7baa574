import GraftData
import GraftModels
import GraftTensor

/// Loss and accuracy of one pass, as the seed tutorial defines them: the sample-weighted mean loss and the
/// fraction of correct top-1 predictions.
struct EpochStats {
    var lossSum = 0.0
    var correct = 0
    var samples = 0
    var seconds = 0.0

    var loss: Double { samples > 0 ? lossSum / Double(samples) : .nan }
    var accuracy: Double { samples > 0 ? Double(correct) / Double(samples) : 0 }

    /// Adds one batch's mean loss and its predictions.
    mutating func add(loss: Double, logits: Tensor, labels: Tensor) throws {
        let count = labels.count
        lossSum += loss * Double(count)
        correct += Int(try logits.argmax(dim: 1).eq(labels).sum().item())
        samples += count
    }
}

extension Trainer {
    /// One optimisation step on a batch; returns the batch's mean loss.
    func optimise(logits: Tensor, labels: Tensor, epoch: Int, batch: Int) throws -> Double {
        let loss = try logits.crossEntropy(targets: labels, weight: classWeights, labelSmoothing: settings.labelSmoothing)
        let value = try loss.item()
        guard value.isFinite else { throw TrainingError.nonFiniteLoss(epoch: epoch + 1, batch: batch) }
        try optimizer.zeroGrad()
        try loss.backward()
        try optimizer.step()
        if stepsPerBatch { try advanceSchedule() }
        return value
    }

    func report(_ stage: String, _ epoch: Int, _ batch: Int, _ batches: Int, _ stats: EpochStats, _ clock: Stopwatch) {
        observer.batchFinished(BatchProgress(
            stage: stage, epoch: epoch, batch: batch, batches: batches, loss: stats.loss, accuracy: stats.accuracy,
            imagesPerSecond: Double(stats.samples) / max(clock.seconds, 1e-9), elapsed: clock.seconds))
    }

    /// A full pass over the training images through the whole network.
    func trainEpoch(_ epoch: Int) throws -> EpochStats {
        model.trainUnfrozenParts()
        var stats = EpochStats()
        let clock = Stopwatch()
        let batches = trainLoader.batches(epoch: epoch)
        var index = 0
        while let batch = try batches.next() {
            index += 1
            let (images, labels) = try batch.tensors(on: device)
            let logits = try model(images)
            let loss = try optimise(logits: logits, labels: labels, epoch: epoch, batch: index)
            try stats.add(loss: loss, logits: logits.detached(), labels: labels)
            report("train", epoch, index, trainLoader.batchCount, stats, clock)
        }
        warnSkipped(batches.skipped)
        stats.seconds = clock.seconds
        return stats
    }

    /// The logits of samples whose frozen stages' output is `cached`.
    func logits(fromCache cached: Tensor, boundary: Int) throws -> Tensor {
        let features = boundary == model.stageCount ? cached : try model.pool(model.stages(boundary..<model.stageCount, cached))
        return try model.classify(features: features)
    }

    /// An epoch that runs only the trainable stages and the head, on cached outputs of the frozen stages. Batches
    /// follow the loader's order for the epoch, so the cache's first epoch trains exactly like recomputing.
    func trainEpochOnCache(_ epoch: Int, _ cache: FeatureCache) throws -> EpochStats {
        model.trainUnfrozenParts()
        var stats = EpochStats()
        let clock = Stopwatch()
        let batches = try cache.batches(batchSize: settings.batchSize, order: trainLoader.order(epoch: epoch))
        for (index, batch) in batches.enumerated() {
            let logits = try logits(fromCache: batch.activations, boundary: cache.boundary)
            let loss = try optimise(logits: logits, labels: batch.labels, epoch: epoch, batch: index + 1)
            try stats.add(loss: loss, logits: logits.detached(), labels: batch.labels)
            report("train", epoch, index + 1, batches.count, stats, clock)
        }
        stats.seconds = clock.seconds
        return stats
    }

    /// Validation loss and accuracy of the whole network in evaluation mode.
    func validate(_ epoch: Int) throws -> EpochStats {
        model.eval()
        var stats = EpochStats()
        let clock = Stopwatch()
        let batches = validationLoader.batches(epoch: 0)
        var index = 0
        try withNoGrad {
            while let batch = try batches.next() {
                index += 1
                let (images, labels) = try batch.tensors(on: device)
                let logits = try model(images)
                try stats.add(loss: try validationLoss(logits, labels), logits: logits, labels: labels)
                report("validate", epoch, index, validationLoader.batchCount, stats, clock)
            }
        }
        warnSkipped(batches.skipped)
        stats.seconds = clock.seconds
        return stats
    }

    /// Validation on cached outputs of the frozen stages (identical to `validate` while they stay frozen).
    func validateOnCache(_ epoch: Int, _ cache: FeatureCache) throws -> EpochStats {
        model.eval()
        var stats = EpochStats()
        let clock = Stopwatch()
        try withNoGrad {
            for batch in try cache.batches(batchSize: max(settings.batchSize, 64), order: cache.sampleIndices) {
                let logits = try logits(fromCache: batch.activations, boundary: cache.boundary)
                try stats.add(loss: try validationLoss(logits, batch.labels), logits: logits, labels: batch.labels)
            }
        }
        stats.seconds = clock.seconds
        return stats
    }

    func validationLoss(_ logits: Tensor, _ labels: Tensor) throws -> Double {
        try logits.crossEntropy(targets: labels, weight: classWeights, labelSmoothing: settings.labelSmoothing).item()
    }

    func warnSkipped(_ skipped: [SkippedSample]) {
        for sample in skipped { observer.warning("skipped \(sample.name): \(sample.reason)") }
    }
}
