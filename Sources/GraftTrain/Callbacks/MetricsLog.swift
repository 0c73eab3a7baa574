import Foundation
import GraftIO
import GraftReport

/// Writes the history after every epoch as `metrics.csv` (one row per epoch: loss, accuracy, seconds, learning
/// rates) and `history.json` in a directory, atomically, so a run's curves survive an interruption.
public final class MetricsLog: Callback {
    /// The directory receiving the files.
    public let directory: URL

    /// Logs into `directory` (created when missing).
    public init(directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        self.directory = directory
    }

    public func epochEnded(_ learner: Learner) throws {
        let history = learner.history
        try AtomicFile.write(Array(Self.csv(history).utf8), to: directory.appendingPathComponent("metrics.csv"))
        try AtomicFile.write(Array(try history.jsonData()), to: directory.appendingPathComponent("history.json"))
    }

    /// The history as CSV: `epoch,phase,train_loss,train_acc,val_loss,val_acc,seconds,lr_<group>…`.
    public static func csv(_ history: RunHistory) -> String {
        let groups = history.epochs.map(\.learningRates.count).max() ?? 0
        let header = ["epoch", "phase", "train_loss", "train_acc", "val_loss", "val_acc", "seconds"]
            + (0..<groups).map { "lr_" + history.groupName($0) }
        func number(_ value: Double?) -> String { value.map { "\($0)" } ?? "" }
        let rows = history.epochs.map { r in
            ["\(r.epoch)", "\"\(r.phase)\"", number(r.trainLoss), number(r.trainAccuracy), number(r.validationLoss),
             number(r.validationAccuracy), number(r.seconds)]
                + (0..<groups).map { r.learningRates.indices.contains($0) ? "\(r.learningRates[$0])" : "" }
        }
        return ([header] + rows).map { $0.joined(separator: ",") }.joined(separator: "\n") + "\n"
    }
}
