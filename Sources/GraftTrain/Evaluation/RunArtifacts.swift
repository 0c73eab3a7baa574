import Foundation
import GraftIO
import GraftReport

/// Writes a run's evaluation artifacts (HTML report, plots, classification report, confusion matrix, history),
/// each file atomically.
public enum RunArtifacts {
    /// Writes the files into `directory` and returns their names.
    @discardableResult
    public static func write(
        title: String, history: RunHistory, predictions: Predictions?, classes: [String], details: [RunDetail], to directory: URL
    ) throws -> [String] {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let report = RunReport(
            title: title, history: history, classificationReport: try predictions?.report(classNames: classes),
            confusionMatrix: try predictions?.confusionMatrix(classNames: classes), details: details)
        let files = try report.files()
        for file in files { try AtomicFile.write(file.contents, to: directory.appendingPathComponent(file.name)) }
        guard !history.epochs.isEmpty else { return files.map(\.name) }
        try AtomicFile.write(history.jsonData(), to: directory.appendingPathComponent("history.json"))
        return files.map(\.name) + ["history.json"]
    }
}
