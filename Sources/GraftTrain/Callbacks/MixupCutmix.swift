import GraftData

/// Mixes every training batch with mixup or CutMix (`BatchMixing`) and trains it on the soft targets; the training
/// metrics still count the original labels. Draws come from a generator seeded by (`seed`, epoch), so a run — and a
/// resumed one — mixes identically. The frozen stages' cached activations cannot be mixed like images, so while this
/// callback is in place training recomputes them every epoch (the learner says so in a note; validation keeps its
/// cache). A batch of one image (a last partial batch) has no partner and trains unmixed.
public final class MixupCutmix: Callback {
    /// The alphas, switch probability and label smoothing.
    public let mixing: BatchMixing
    /// Seeds the per-epoch draws.
    public let seed: UInt64
    private var generator: SeededRandom

    /// Mixing with `mixing`, its draws seeded by `seed`.
    public init(mixing: BatchMixing, seed: UInt64) {
        self.mixing = mixing
        self.seed = seed
        generator = SeededRandom(seed: seed)
    }

    public var needsTrainingImages: Bool { true }

    public func fitBegan(_ learner: Learner) throws {
        guard learner.trainLoader.batchSize >= 2 else {
            let setting = mixing.mixupAlpha > 0 ? "mixup" : "cutmix"
            throw TrainingError.invalidSetting(
                setting, "\(setting) needs batches of at least 2 images (batchSize is \(learner.trainLoader.batchSize)): each batch mixes with its own reverse")
        }
    }

    public func epochBegan(_ learner: Learner) throws {
        generator = SeededRandom(seed: seed, epoch: learner.epoch, index: Self.stream)
    }

    public func prepareTrainingBatch(_ batch: LearnerBatch, for learner: Learner) throws -> LearnerBatch {
        guard batch.count >= 2 else { return batch }
        let shape = batch.inputs.shape
        let draw = mixing.draw(imageHeight: shape[shape.count - 2], imageWidth: shape[shape.count - 1], using: &generator)
        return try mixing.mix(batch, draw, classCount: learner.classes.count)
    }

    /// Keeps these draws apart from the per-sample augmentation streams (sample indices are ≥ 0).
    static let stream = -1
}
