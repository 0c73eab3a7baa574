import Foundation

/// One file of a run directory: its name and bytes.
public struct ReportFile: Sendable, Equatable {
    /// The file name, e.g. "confusion_matrix.png".
    public let name: String
    /// The file contents.
    public let contents: Data
}

extension RunReport {
    /// Every evaluation artifact of the run, ready to be written (atomically, by the caller) into the run directory:
    /// report.html, learning_curves.{svg,png}, classification_report.{txt,csv,json},
    /// confusion_matrix.{txt,csv,json,svg,png}; the parts without data are left out.
    public func files(pixelsPerUnit: Int = 2) throws -> [ReportFile] {
        func file(_ name: String, _ text: String) -> ReportFile { ReportFile(name: name, contents: Data(text.utf8)) }
        var files = [file("report.html", html())]
        if !history.epochs.isEmpty {
            let curves = try history.learningCurves()
            files.append(file("learning_curves.svg", curves.svg(title: "Learning curves")))
            files.append(
                ReportFile(name: "learning_curves.png", contents: try curves.png(pixelsPerUnit: pixelsPerUnit)))
        }
        if let report = classificationReport {
            files.append(file("classification_report.txt", report.text(digits: 4)))
            files.append(file("classification_report.csv", report.csv()))
            files.append(file("classification_report.json", try report.json()))
        }
        if let matrix = confusionMatrix {
            let heatmap = matrix.heatmap()
            files.append(file("confusion_matrix.txt", matrix.text()))
            files.append(file("confusion_matrix.csv", matrix.csv()))
            files.append(file("confusion_matrix.json", try matrix.json()))
            files.append(file("confusion_matrix.svg", heatmap.svg(title: "Confusion matrix")))
            files.append(
                ReportFile(name: "confusion_matrix.png", contents: try heatmap.png(pixelsPerUnit: pixelsPerUnit)))
        }
        return files
    }
}
