import GraftData
import GraftModels
import GraftNN
import GraftTensor

extension Learner {
    /// The logits of a batch of images, or of cached outputs of the first `batch.stagesApplied` stages.
    public func forward(_ batch: LearnerBatch) throws -> Tensor {
        guard batch.stagesApplied > 0 else { return try model(batch.inputs) }
        let features = batch.stagesApplied == model.stageCount
            ? batch.inputs : try model.pool(model.stages(batch.stagesApplied..<model.stageCount, batch.inputs))
        return try model.classify(features: features)
    }

    /// Runs the validation pass alone (evaluation mode, no gradients) and returns its metrics.
    @discardableResult
    public func validate() throws -> ClassificationMetrics {
        try validationPass()
        stage = .idle
        return validationMetrics
    }

    func beginStage(_ stage: LearnerStage, batches: Int) {
        self.stage = stage
        batchCount = batches
        batchIndex = 0
        stageSamples = 0
        stageClock = Stopwatch()
    }

    /// One pass over the training data (cached or recomputed) with an optimizer step per batch.
    func trainPass() throws {
        model.trainUnfrozenParts()
        trainMetrics = ClassificationMetrics()
        if let cache = caches.training {
            let batches = try cache.batches(batchSize: trainLoader.batchSize, order: trainLoader.order(epoch: epoch))
            beginStage(.train, batches: batches.count)
            for batch in batches {
                try trainBatch(LearnerBatch(inputs: batch.activations, labels: batch.labels, stagesApplied: cache.boundary))
            }
        } else {
            beginStage(.train, batches: trainLoader.batchCount)
            let batches = trainLoader.batches(epoch: epoch)
            while let batch = try batches.next() {
                let (images, labels) = try batch.tensors()
                try trainBatch(LearnerBatch(inputs: images, labels: labels))
            }
            warnSkipped(batches.skipped)
        }
        trainMetrics.seconds = stageClock.seconds
    }

    /// Forward, loss, backward and an optimizer step, with the callbacks between them.
    func trainBatch(_ batch: LearnerBatch) throws {
        batchIndex += 1
        skipBatch = false
        batchLoss = nil
        try each { try $0.batchBegan(self) }
        guard !skipBatch else { return }
        let output = try computeStep(batch)
        let value = try output.loss.item()
        batchLoss = value
        try optimizer.zeroGrad()
        try output.loss.backward()
        try each { try $0.afterBackward(self) }
        try each { try $0.beforeOptimizerStep(self) }
        try optimizer.step()
        if scheduleInterval == .batch { try advanceSchedule() }
        try trainMetrics.add(logits: output.logits.detached(), labels: batch.labels, loss: value)
        stageSamples += batch.count
        try each { try $0.batchEnded(self) }
    }

    /// Validation loss, accuracy and confusion matrix of the whole network in evaluation mode.
    func validationPass() throws {
        model.eval()
        validationMetrics = ClassificationMetrics(classCount: classes.count)
        try withNoGrad {
            if let cache = caches.validation {
                let batches = try cache.batches(batchSize: max(trainLoader.batchSize, 64), order: cache.sampleIndices)
                beginStage(.validate, batches: batches.count)
                for batch in batches {
                    try validationBatch(LearnerBatch(inputs: batch.activations, labels: batch.labels, stagesApplied: cache.boundary))
                }
            } else {
                beginStage(.validate, batches: validationLoader.batchCount)
                let batches = validationLoader.batches(epoch: 0)
                while let batch = try batches.next() {
                    let (images, labels) = try batch.tensors()
                    try validationBatch(LearnerBatch(inputs: images, labels: labels))
                }
                warnSkipped(batches.skipped)
            }
        }
        validationMetrics.seconds = stageClock.seconds
    }

    func validationBatch(_ batch: LearnerBatch) throws {
        batchIndex += 1
        try each { try $0.batchBegan(self) }
        let logits = try forward(batch)
        try validationMetrics.add(logits: logits, labels: batch.labels, loss: try loss(logits, batch.labels).item())
        stageSamples += batch.count
        try each { try $0.batchEnded(self) }
    }

    func warnSkipped(_ skipped: [SkippedSample]) {
        for sample in skipped { send(LearnerMessage(.warning, "skipped \(sample.name): \(sample.reason)")) }
    }
}
