import Foundation
import GraftIO
import GraftReport

/// Writes the history after every epoch as `metrics.csv` (PyTorch Lightning's `CSVLogger` layout, see
/// `RunHistory.metricsCSV(batchesPerEpoch:)`) and `history.json` in a directory, so a run's curves survive an
/// interruption. Both files are rewritten whole and atomically from the history rather than appended to: progressive
/// unfreezing adds learning-rate columns mid-run (Lightning rewrites its file then too), and a resumed run's history
/// is its checkpoint's, so rows of epochs a killed process ran past its last checkpoint never linger.
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
        let csv = history.metricsCSV(batchesPerEpoch: learner.trainLoader.batchCount)
        try AtomicFile.write(Array(csv.utf8), to: directory.appendingPathComponent("metrics.csv"))
        try AtomicFile.write(Array(try history.jsonData()), to: directory.appendingPathComponent("history.json"))
    }
}
