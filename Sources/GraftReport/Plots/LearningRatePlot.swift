import Foundation

/// The learning-rate finder's plot: smoothed loss against learning rate on a log axis, with the suggested rate
/// marked by a dotted line and named in the title.
public enum LearningRatePlot {
    /// A drawing of `smoothedLosses` over `rates` (same length, at least one finite point); `suggestion` is marked
    /// when given.
    public static func drawing(rates: [Double], smoothedLosses: [Double], suggestion: Double?, group: String) throws -> Drawing {
        guard rates.count == smoothedLosses.count, zip(rates, smoothedLosses).contains(where: { $0 > 0 && $0.isFinite && $1.isFinite }) else {
            throw GraftReportError.nothingToPlot("the learning-rate sweep recorded no finite loss")
        }
        let title = suggestion.map { "lr finder (\(group)): suggested \(String(format: "%.3g", $0))" } ?? "lr finder (\(group)): no suggestion"
        let panel = LinePanel(
            title: title, xLabel: "learning rate (log)", yLabel: "smoothed loss",
            series: [PlotSeries(name: "loss", points: Array(zip(rates, smoothedLosses)).map { (x: $0.0, y: $0.1) }, color: Palette.color(0), dashed: false)],
            yKind: .linear, markers: suggestion.map { [$0] } ?? [], xKind: .logarithmic)
        var drawing = Drawing(width: 480, height: 320)
        panel.draw(into: &drawing, left: 0, top: 0, width: 480, height: 320)
        return drawing
    }
}
