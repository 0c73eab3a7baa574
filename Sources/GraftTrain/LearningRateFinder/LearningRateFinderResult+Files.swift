import Foundation
import GraftIO
import GraftReport

extension LearningRateFinderResult {
    /// The plot of the smoothed loss against the reference rate (log axis), the valley suggestion marked.
    public func plot() throws -> Drawing {
        try LearningRatePlot.drawing(rates: rates, smoothedLosses: smoothedLosses, suggestion: suggestions?.valley, group: referenceGroup)
    }

    /// Writes `<name>.svg`, `<name>.png` (the plot) and `<name>.json` (this result) into `directory`, each
    /// atomically, and returns the file names.
    @discardableResult
    public func write(to directory: URL, name: String = "lr_find") throws -> [String] {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let drawing = try plot()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let files: [(String, Data)] = [
            ("\(name).svg", Data(drawing.svg(title: "learning-rate finder: \(referenceGroup)").utf8)),
            ("\(name).png", try drawing.png()),
            ("\(name).json", try encoder.encode(self)),
        ]
        for (file, contents) in files { try AtomicFile.write(contents, to: directory.appendingPathComponent(file)) }
        return files.map(\.0)
    }
}
