import GraftData
import GraftModels
import GraftNN
import GraftTensor

extension Learner {
    /// The float32 logits of a batch of images, or of cached outputs of the first `batch.stagesApplied` stages,
    /// computed in `precision`.
    public func forward(_ batch: LearnerBatch) throws -> Tensor {
        try withPrecision(precision, on: device) {
            guard batch.stagesApplied > 0 else { return try model(batch.inputs) }
            let features = batch.stagesApplied == model.stageCount
                ? batch.inputs : try model.pool(model.stages(batch.stagesApplied..<model.stageCount, batch.inputs))
            return try model.classify(features: features)
        }.float()
    }

    /// Runs the validation pass alone (evaluation mode, no gradients, the averaged weights when `ema` is kept) and
    /// returns its metrics.
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

    /// Training mode for the trained parts, evaluation mode for the frozen ones, and BatchNorm statistics fixed
    /// everywhere under the `frozen` BatchNorm policy.
    func setTrainingModes() {
        model.trainUnfrozenParts(freezingBatchNormStatistics: batchNorm == .frozen)
    }

    /// One pass over the training data (cached or recomputed) with an optimizer step every `accumulateBatches`
    /// batches and one for the leftover batches at the end.
    func trainPass() throws {
        guard accumulateBatches >= 1 else {
            throw TrainingError.invalidSetting("accumulateBatches", "accumulateBatches must be at least 1 (got \(accumulateBatches))")
        }
        setTrainingModes()
        trainMetrics = ClassificationMetrics()
        pendingGradients = (0, 0)
        try forEachBatch(.train, cache: caches.training, groups: shared(trainLoader.batchGroups(epoch: epoch)), loader: trainLoader,
                         epoch: epoch, emptyGroup: trainEmptyGroup, body: trainBatch)
        if pendingGradients.batches > 0 { try optimizerStep() }
        trainMetrics.seconds = stageClock.seconds
        if let dataParallel {
            trainMetrics = try dataParallel.summed(trainMetrics)
            try dataParallel.broadcastBuffers(of: model)
        }
    }

    /// This rank's shares of the batches `groups` under data-parallel training; `groups` themselves otherwise.
    func shared(_ groups: [[Int]]) -> [[Int]] { dataParallel?.share(of: groups) ?? groups }

    /// Samples of a full training batch on this rank (the whole batch without data parallelism).
    var localBatchSize: Int { shared([Array(0..<trainLoader.batchSize)])[0].count }

    /// A batch group this rank has no sample of (its share was empty, or all its images were skipped): under
    /// data-parallel training it still counts towards the optimizer step, which every rank takes together.
    func trainEmptyGroup() throws {
        guard dataParallel != nil else { return }
        batchIndex += 1
        if pendingGradients.batches == 0 { try optimizer.zeroGrad() }
        pendingGradients.batches += 1
        if pendingGradients.batches == accumulateBatches { try optimizerStep() }
    }

    /// Runs `body` on every batch of a stage, the batches being the dataset-index `groups`: from `cache` when there is
    /// one, else loaded by `loader` with `epoch`'s preprocessing, warning about skipped images and throwing when
    /// every image was skipped (alone; under data-parallel training other ranks may have had them). `emptyGroup`
    /// runs, in order, for each group that gave no batch.
    func forEachBatch(_ stage: LearnerStage, cache: FeatureCache?, groups: [[Int]], loader: any LabeledBatchSource,
                      epoch: Int, emptyGroup: () throws -> Void = {}, body: (LearnerBatch) throws -> Void) throws {
        beginStage(stage, batches: groups.count)
        var nextGroup = 0
        func reached(_ group: Int) throws {
            while nextGroup < group {
                try emptyGroup()
                nextGroup += 1
            }
            nextGroup = group + 1
        }
        if let cache {
            for batch in try cache.batches(groups: groups) {
                try reached(batch.group)
                try body(LearnerBatch(inputs: batch.activations, labels: batch.labels, stagesApplied: cache.boundary))
            }
        } else {
            let batches = loader.labeledBatches(groups: groups, epoch: epoch)
            var used = 0
            while let batch = try batches.next(on: device) {
                used += batch.count
                try reached(batch.group)
                try body(LearnerBatch(inputs: batch.inputs, labels: batch.labels))
            }
            warnSkipped(batches.skipped)
            if dataParallel == nil { try requireUsableImages(stage, used: used, skipped: batches.skipped) }
        }
        try reached(groups.count)
        nextGroup = groups.count
    }

    /// Forward, loss, backward and — when `accumulateBatches` batches have added their gradients — an optimizer
    /// step, with the callbacks between them. Accumulated, each loss counts by its batch's share of a full group's
    /// samples, so the gradients are those of the group's mean loss.
    func trainBatch(_ loaded: LearnerBatch) throws {
        batchIndex += 1
        skipBatch = false
        batchLoss = nil
        try each { try $0.batchBegan(self) }
        guard !skipBatch else { return }
        let batch = try callbacks.reduce(loaded) { try $1.prepareTrainingBatch($0, for: self) }
        let output = try computeStep(batch)
        let value = try output.loss.item()
        batchLoss = value
        if pendingGradients.batches == 0 { try optimizer.zeroGrad() }
        let share = Double(batch.count) / Double(accumulateBatches * localBatchSize)
        let batchShare = accumulateBatches == 1 ? output.loss : try output.loss * share
        try (gradientScaler.map { try $0.scaled(batchShare) } ?? batchShare).backward()
        pendingGradients.batches += 1
        pendingGradients.samples += batch.count
        try each { try $0.afterBackward(self) }
        if pendingGradients.batches == accumulateBatches { try optimizerStep() }
        try trainMetrics.add(logits: output.logits.detached(), labels: batch.labels, loss: value)
        stageSamples += batch.count
        try each { try $0.batchEnded(self) }
    }

    /// The gradients of the trained parameters (every optimizer group's), as they stand.
    public func trainedGradients() -> [Tensor] { optimizer.groups.flatMap(\.parameters).compactMap(\.grad) }

    /// The optimizer step for the pending gradients, rescaled to their samples' mean when a group came up short (the
    /// epoch's last, or one with skipped images), unscaled by `gradientScaler` (skipped when they overflowed), after
    /// the `beforeOptimizerStep` callbacks; then the per-batch schedule steps.
    func optimizerStep() throws {
        let full = accumulateBatches * localBatchSize
        let samples = pendingGradients.samples
        pendingGradients = (0, 0)
        if accumulateBatches > 1 && samples != full && samples > 0 {
            let scale = Double(full) / Double(samples)
            try withNoGrad { for gradient in trainedGradients() { try gradient.mul_(scale) } }
        }
        if let dataParallel {
            let (total, stop) = try dataParallel.averageGradients(of: optimizer.groups.flatMap(\.parameters), samples: samples,
                                                                  stopVote: stopVoted)
            if stop { stopAgreed = true }
            if total == 0 { return }
        }
        // As PyTorch's GradScaler: unscaled before clipping sees them; a step whose gradients overflowed is skipped
        // (the schedule still advances, as a PyTorch loop calling scheduler.step() does).
        if let gradientScaler, try !gradientScaler.unscaleAndUpdate(trainedGradients()) {
            if scheduleInterval == .batch { try advanceSchedule() }
            return
        }
        try each { try $0.beforeOptimizerStep(self) }
        try optimizer.step()
        try ema?.update(from: model)
        if scheduleInterval == .batch { try advanceSchedule() }
    }

    /// Validation loss, accuracy and confusion matrix of the whole network in evaluation mode, with the averaged
    /// weights when `ema` is kept. Cached validation activations stay valid then: the frozen stages' averages equal
    /// their weights bit for bit (see `WeightAverage.update`).
    func validationPass() throws {
        model.eval()
        validationMetrics = ClassificationMetrics(classCount: classes.count)
        let cache = caches.validation
        let pass = {
            try withNoGrad {
                // Cached rows need no preprocessing, so they go in larger batches.
                let groups = self.shared(cache.map { FeatureCache.chunks($0.sampleIndices, size: max(self.trainLoader.batchSize, 64)) }
                    ?? self.validationLoader.batchGroups(epoch: 0))
                try self.forEachBatch(.validate, cache: cache, groups: groups, loader: self.validationLoader, epoch: 0, body: self.validationBatch)
            }
        }
        if let ema { try ema.whileLoaded(into: model, pass) } else { try pass() }
        validationMetrics.seconds = stageClock.seconds
        if let dataParallel { validationMetrics = try dataParallel.summed(validationMetrics) }
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
        for sample in skipped { send(LearnerMessage(.warning, "skipped \(RawFileName.displayed(sample.name)): \(sample.reason)")) }
    }

    /// Throws `TrainingError.noUsableImages` when a pass of `stage` used no image because every one was skipped: its
    /// metrics would be NaN and the epoch meaningless.
    func requireUsableImages(_ stage: LearnerStage, used: Int, skipped: [SkippedSample]) throws {
        guard used == 0, let first = skipped.first else { return }
        let images = stage == .validate || stage == .cacheValidation ? "validation" : "training"
        let example = first.reason.contains(first.name) ? first.reason : "\(first.name): \(first.reason)"
        throw TrainingError.noUsableImages(images: images, epoch: epoch + 1, skipped: skipped.count, example: example)
    }
}
