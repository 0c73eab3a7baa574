/// Errors of the training layer, with messages that name the fix in library terms (the CLI maps settings to flags).
public enum TrainingError: Error, CustomStringConvertible {
    /// A setting is invalid or inconsistent.
    case invalidConfiguration(String)
    /// One named setting (a `FineTuneSettings` property, e.g. `headLearningRate`) has a bad value.
    case invalidSetting(String, String)
    /// The loss became NaN or infinite.
    case nonFiniteLoss(epoch: Int, batch: Int)
    /// A checkpoint could not be used to resume.
    case resume(String)

    /// A message a user can act on.
    public var description: String {
        switch self {
        case .invalidConfiguration(let message): return message
        case .invalidSetting(_, let message): return message
        case .nonFiniteLoss(let epoch, let batch):
            return "the loss became NaN/Inf at epoch \(epoch), batch \(batch); training stopped and the last good checkpoint was kept. Lower the learning rate (headLearningRate / backboneLearningRate) or check the data."
        case .resume(let message): return "cannot resume: \(message)"
        }
    }
}
