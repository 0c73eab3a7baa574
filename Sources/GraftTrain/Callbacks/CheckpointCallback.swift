/// Keeps a run directory's checkpoints (`RunStore`): after every epoch the best one (when validation improved) and
/// the last one (with optimizer state, for `Learner.restore`), each written atomically.
public final class CheckpointCallback: Callback {
    /// Where the checkpoints go.
    public let store: RunStore

    /// Checkpoints into `store`.
    public init(store: RunStore) {
        self.store = store
    }

    public func epochEnded(_ learner: Learner) throws {
        try store.saveEpoch(learner, isBest: learner.lastEpochWasBest)
    }
}
