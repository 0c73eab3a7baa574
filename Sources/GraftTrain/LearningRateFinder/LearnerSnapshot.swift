import GraftNN
import GraftTensor

/// A copy of everything a learning-rate sweep changes in a learner — parameters, buffers (BatchNorm running
/// statistics), every module's train/eval mode, the optimizer's per-parameter state and group rates — restored
/// in place (the optimizer keeps referring to the same parameter tensors).
struct LearnerSnapshot {
    private let tensors: [(String, Tensor)]
    private let modes: [Bool]
    private let optimizerState: OptimizerState
    private let rates: [Double]

    init(_ learner: Learner) throws {
        tensors = try learner.model.stateDict().map { ($0.0, try $0.1.clone()) }
        modes = learner.model.namedModules().map(\.1.isTraining)
        optimizerState = try learner.optimizer.state()
        rates = learner.optimizer.groups.map(\.learningRate)
    }

    func restore(_ learner: Learner) throws {
        try learner.model.load(stateDict: tensors, strict: true)
        // Pre-order: each module's mode is set after its parent's recursive `train` call.
        for ((_, module), training) in zip(learner.model.namedModules(), modes) { module.train(training) }
        try learner.optimizer.zeroGrad()
        try learner.optimizer.load(state: optimizerState)
        try learner.optimizer.setLearningRates(rates)
    }
}
