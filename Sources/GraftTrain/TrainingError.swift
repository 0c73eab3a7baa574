/// The training layer's errors (its one error type), with messages that name the fix in library terms (the CLI maps
/// settings to flags).
public enum TrainingError: Error, CustomStringConvertible, Equatable {
    /// A setting is invalid or inconsistent.
    case invalidConfiguration(String)
    /// One named setting (a `FineTuneSettings` property, e.g. `headLearningRate`) has a bad value.
    case invalidSetting(String, String)
    /// The loss became NaN or infinite.
    case nonFiniteLoss(epoch: Int, batch: Int)
    /// The validation loss of an epoch was NaN or infinite.
    case nonFiniteValidationLoss(epoch: Int)
    /// An epoch's pass over the training or validation images (`images`) read none: every one was skipped as unreadable.
    case noUsableImages(images: String, epoch: Int, skipped: Int, example: String)
    /// The data has fewer than two classes, so there is nothing to classify.
    case tooFewClasses([String])
    /// A checkpoint could not be used to resume.
    case resume(String)
    /// A schedule setting is outside its valid range.
    case invalidScheduleSetting(schedule: String, setting: String, value: String, expected: String)
    /// A schedule with a fixed length (one-cycle) was stepped past its last step.
    case schedulePastEnd(schedule: String, step: Int, totalSteps: Int)
    /// A group's base learning rate is negative, NaN or infinite.
    case invalidBaseLearningRate(group: Int, value: Double)
    /// A parameter group index does not exist.
    case unknownParameterGroup(index: Int, groupCount: Int)
    /// Saved scheduler state is inconsistent (e.g. a negative step count).
    case invalidSchedulerState(String)
    /// A training checkpoint is missing an entry or holds one of the wrong kind.
    case invalidCheckpoint(String)
    /// Saved optimizer state belongs to other parameter groups, another model or other optimizer settings.
    case incompatibleOptimizerState(String)
    /// A checkpoint's model state does not fit the model; the report names every missing, unexpected or reshaped tensor.
    case incompatibleModelState(String)
    /// The checkpoint format cannot be told from the file name.
    case unknownCheckpointFormat(path: String)
    /// A torchrun variable (`RANK`, `MASTER_PORT`, …) of a worker's environment is missing, malformed or inconsistent.
    case invalidDistributedEnvironment(variable: String, problem: String)
    /// A worker process could not be started.
    case workerLaunchFailed(rank: Int, reason: String)
    /// A worker of a launched run failed; the launcher stopped the others.
    case workerFailed(WorkerExit)
    /// The launcher received a signal, passed it on to its workers and waited for them to end.
    case launchInterrupted(signal: Int32)

    /// A message a user can act on.
    public var description: String {
        switch self {
        case .invalidConfiguration(let message): return message
        case .invalidSetting(_, let message): return message
        case .nonFiniteLoss(let epoch, let batch):
            return "the loss became NaN/Inf at epoch \(epoch), batch \(batch); training stopped and the last good checkpoint was kept. Lower the learning rate (headLearningRate / backboneLearningRate) or check the data."
        case .nonFiniteValidationLoss(let epoch):
            return "the validation loss became NaN/Inf at epoch \(epoch); training stopped before recording the epoch and the last good checkpoint was kept. Check the validation images and the loss function."
        case .noUsableImages(let images, let epoch, let skipped, let example):
            return "epoch \(epoch): none of the \(images) images could be used: all \(skipped) were skipped as unreadable (e.g. \(example)); training stopped. Fix or remove those files."
        case .tooFewClasses(let classes):
            return "a classifier needs at least two classes, but the data has \(classes.count)\(classes.isEmpty ? "" : " (" + classes.joined(separator: ", ") + ")"); an ImageFolder needs one subfolder per class"
        case .resume(let message): return "cannot resume: \(message)"
        case .invalidScheduleSetting(let schedule, let setting, let value, let expected):
            return "\(schedule): `\(setting)` is \(value), expected \(expected)"
        case .schedulePastEnd(let schedule, let step, let totalSteps):
            return "\(schedule): tried to reach step \(step) but the schedule has only \(totalSteps) steps; "
                + "make the cycle as long as the number of scheduler steps in the run"
        case .invalidBaseLearningRate(let group, let value):
            return "parameter group \(group): base learning rate \(value) must be finite and >= 0"
        case .unknownParameterGroup(let index, let groupCount):
            return "parameter group \(index) does not exist (the scheduler has \(groupCount) groups)"
        case .invalidSchedulerState(let reason):
            return "saved scheduler state is invalid: \(reason)"
        case .invalidCheckpoint(let reason):
            return "not a usable training checkpoint: \(reason)"
        case .incompatibleOptimizerState(let reason):
            return "the checkpoint's optimizer state does not fit this optimizer: \(reason)"
        case .incompatibleModelState(let report):
            return "the checkpoint's model state does not fit this model (another architecture or number of classes?):\n\(report)"
        case .invalidDistributedEnvironment(let variable, let problem):
            return "environment variable \(variable) \(problem)"
        case .workerLaunchFailed(let rank, let reason):
            return "could not start the worker of rank \(rank): \(reason)"
        case .workerFailed(let exit):
            return "\(exit); the other workers were stopped"
        case .launchInterrupted(let signal):
            return "stopped by \(WorkerExit.signalName(signal)): passed on to the workers, which have all ended"
        case .unknownCheckpointFormat(let path):
            return "cannot tell the checkpoint format of '\(path)': name it .pth/.pt (PyTorch) or .safetensors (Graft), or pass the format explicitly"
        }
    }
}
