/// Errors of the training layer, with messages that name the fix.
public enum TrainingError: Error, CustomStringConvertible {
    /// A setting is invalid or inconsistent.
    case invalidConfiguration(String)
    /// The loss became NaN or infinite.
    case nonFiniteLoss(epoch: Int, batch: Int)
    /// A checkpoint could not be used to resume.
    case resume(String)

    /// A message a user can act on.
    public var description: String {
        switch self {
        case .invalidConfiguration(let message): return message
        case .nonFiniteLoss(let epoch, let batch):
            return "the loss became NaN/Inf at epoch \(epoch), batch \(batch); training stopped and the last good checkpoint was kept. Lower the learning rate (--lr / --head-lr) or check the data."
        case .resume(let message): return "cannot resume: \(message)"
        }
    }
}
