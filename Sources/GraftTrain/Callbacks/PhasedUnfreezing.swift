/// The phase plan as a callback: at the start of each phase's epoch, the phase's layer groups start training with
/// its learning rate (`Learner.unfreeze`). Groups already trained (after a resume) are left as they are.
public final class PhasedUnfreezing: Callback {
    /// The phases, in epoch order.
    public let phases: [Phase]

    /// Unfreezes by `phases` (e.g. from `PhasePlan.phases(for:groups:)`).
    public init(phases: [Phase]) {
        self.phases = phases.sorted { $0.atEpoch < $1.atEpoch }
    }

    public func epochBegan(_ learner: Learner) throws {
        for phase in phases where phase.atEpoch == learner.epoch {
            for name in phase.unfreeze where !learner.trainedGroups.contains(name) {
                try learner.unfreeze(name, learningRate: phase.learningRate)
                let count = learner.model.parameters(in: try learner.model.layerGroup(named: name)).reduce(0) { $0 + $1.1.count }
                learner.send(LearnerMessage(.note, "epoch \(learner.epoch + 1): training \(name) (\(count) parameters) at lr \(phase.learningRate)"))
            }
        }
    }
}
