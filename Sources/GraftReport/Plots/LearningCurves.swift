extension RunHistory {
    /// Learning curves side by side: train/val loss, train/val accuracy (%), and the lr of every parameter group
    /// (log axis); dotted lines mark the epochs where the phase changes.
    public func learningCurves() throws -> Drawing {
        guard !epochs.isEmpty else { throw GraftReportError.nothingToPlot("the run history has no epochs") }
        let train = Palette.color(0)
        let validation = Palette.color(1)
        func series(_ name: String, _ color: RGBAColor, dashed: Bool, _ value: (EpochRecord) -> Double?) -> PlotSeries?
        {
            let points = epochs.compactMap { record in value(record).map { (x: Double(record.epoch), y: $0) } }
            return points.isEmpty ? nil : PlotSeries(name: name, points: points, color: color, dashed: dashed)
        }
        let percent = { (value: Double?) in value.map { $0 * 100 } }
        let groupCount = epochs.map(\.learningRates.count).max() ?? 0
        let lrSeries = (0..<groupCount).compactMap { group in
            series(groupName(group), Palette.color(group + 2), dashed: false) { record in
                record.learningRates.indices.contains(group) ? record.learningRates[group] : nil
            }
        }
        let phaseChanges = zip(epochs, epochs.dropFirst()).filter { $0.phase != $1.phase }
            .map { Double($0.epoch + $1.epoch) / 2 }
        let panels = [
            LinePanel(
                title: "Loss", xLabel: "epoch", yLabel: "loss",
                series: [
                    series("train", train, dashed: false) { $0.trainLoss },
                    series("val", validation, dashed: true) { $0.validationLoss },
                ].compactMap { $0 },
                yKind: .linear, markers: phaseChanges),
            LinePanel(
                title: "Accuracy", xLabel: "epoch", yLabel: "accuracy (%)",
                series: [
                    series("train", train, dashed: false) { percent($0.trainAccuracy) },
                    series("val", validation, dashed: true) { percent($0.validationAccuracy) },
                ].compactMap { $0 },
                yKind: .linear, markers: phaseChanges),
            LinePanel(
                title: "Learning rate", xLabel: "epoch", yLabel: "lr", series: lrSeries, yKind: .logarithmic,
                markers: phaseChanges),
        ]
        let panelWidth = 320.0
        let panelHeight = 250.0
        var drawing = Drawing(width: panelWidth * Double(panels.count), height: panelHeight)
        for (index, panel) in panels.enumerated() {
            panel.draw(into: &drawing, left: panelWidth * Double(index), top: 0, width: panelWidth, height: panelHeight)
        }
        return drawing
    }
}
