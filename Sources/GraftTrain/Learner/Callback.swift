/// Hooks into a `Learner`'s loop, like fastai's callbacks and Lightning's hooks. Every method has a no-op default, so a
/// callback implements only the events it needs. Each receives the learner, whose state it may read and change: stop
/// the run (`requestStop()`), skip a batch (`skipBatch` in `batchBegan`), change learning rates, clip gradients
/// (`beforeOptimizerStep`), or read the metrics (`trainMetrics`, `validationMetrics`, `history`).
/// Callbacks run in the order of `Learner.callbacks`; an error thrown by one ends the run with that error.
public protocol Callback: AnyObject {
    /// Before the first epoch of `fit()`.
    func fitBegan(_ learner: Learner) throws
    /// At the start of every epoch, before feature caching and training (phases unfreeze groups here).
    func epochBegan(_ learner: Learner) throws
    /// Before each batch of every stage (`learner.stage`); in training, setting `learner.skipBatch` skips it.
    func batchBegan(_ learner: Learner) throws
    /// After `batchBegan` of a training batch that is not skipped: returns the batch the step trains on (mixup and
    /// CutMix replace images and targets here); each callback gets the previous one's result.
    func prepareTrainingBatch(_ batch: LearnerBatch, for learner: Learner) throws -> LearnerBatch
    /// Whether this callback needs the training batches as images, so the learner must not train on cached
    /// activations of the frozen stages (validation still uses its cache).
    var needsTrainingImages: Bool { get }
    /// After each batch's `loss.backward()`: its gradients are in place (added to the pending ones when batches
    /// accumulate).
    func afterBackward(_ learner: Learner) throws
    /// Just before `optimizer.step()`, once per step, with the (accumulated) gradients final: clip them here.
    func beforeOptimizerStep(_ learner: Learner) throws
    /// After each batch of every stage, with the stage's running metrics updated.
    func batchEnded(_ learner: Learner) throws
    /// After the validation pass of an epoch (`learner.validationMetrics` is complete).
    func validationEnded(_ learner: Learner) throws
    /// After an epoch is recorded in `learner.history` and the schedule has stepped.
    func epochEnded(_ learner: Learner) throws
    /// After the last epoch of `fit()` (or the one a stop request ended on).
    func fitEnded(_ learner: Learner) throws
    /// A note or warning from the learner (phase changes, feature caching, skipped images, pitfalls).
    func received(_ message: LearnerMessage, from learner: Learner)
}

extension Callback {
    public func fitBegan(_ learner: Learner) throws {}
    public func epochBegan(_ learner: Learner) throws {}
    public func batchBegan(_ learner: Learner) throws {}
    public func prepareTrainingBatch(_ batch: LearnerBatch, for learner: Learner) throws -> LearnerBatch { batch }
    public var needsTrainingImages: Bool { false }
    public func afterBackward(_ learner: Learner) throws {}
    public func beforeOptimizerStep(_ learner: Learner) throws {}
    public func batchEnded(_ learner: Learner) throws {}
    public func validationEnded(_ learner: Learner) throws {}
    public func epochEnded(_ learner: Learner) throws {}
    public func fitEnded(_ learner: Learner) throws {}
    public func received(_ message: LearnerMessage, from learner: Learner) {}
}

/// Something the learner tells its callbacks in words; the learner itself never prints.
public struct LearnerMessage: Sendable, Equatable {
    /// How much attention the message needs.
    public enum Kind: Sendable, Equatable {
        /// Progress worth a line: a phase change, a resume, feature caching, early stopping.
        case note
        /// A pitfall or a skipped bad image, in words naming the fix.
        case warning
    }

    /// Note or warning.
    public var kind: Kind
    /// The text, without a trailing newline.
    public var text: String

    /// Creates a message.
    public init(_ kind: Kind, _ text: String) {
        self.kind = kind
        self.text = text
    }
}
