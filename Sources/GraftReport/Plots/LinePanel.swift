/// One named line of a chart, in data coordinates.
struct PlotSeries {
    let name: String
    let points: [(x: Double, y: Double)]
    let color: RGBAColor
    let dashed: Bool
}

/// A line chart with a title, axes, ticks, axis labels, grid, optional vertical markers and a legend.
struct LinePanel {
    let title: String
    let xLabel: String
    let yLabel: String
    let series: [PlotSeries]
    let yKind: PlotScale.Kind
    /// x positions of dotted vertical lines (e.g. phase changes).
    let markers: [Double]
    /// Linear x axis with whole-number ticks (epochs), or logarithmic (learning rates).
    var xKind: PlotScale.Kind = .linear

    static let axisColor = RGBAColor(hex: 0x333333)
    static let gridColor = RGBAColor(hex: 0xE3E3E3)
    static let markerColor = RGBAColor(hex: 0x9A9A9A)

    /// Draws the panel into the box at (`left`, `top`) of the given size.
    func draw(into drawing: inout Drawing, left: Double, top: Double, width: Double, height: Double) {
        let xScale = PlotScale(covering: series.flatMap { $0.points.map(\.x) }, kind: xKind, integerTicks: xKind == .linear)
        let yScale = PlotScale(covering: series.flatMap { $0.points.map(\.y) }, kind: yKind)
        let yLabelWidth = yScale.ticks.map { TextMeasure.width(yScale.label($0)) }.max() ?? TextMeasure.cellAdvance
        let plotLeft = left + 20 + yLabelWidth + 6
        let plotTop = top + 24
        let plotRight = left + width - 10
        let plotBottom = top + height - 34
        func xPosition(_ value: Double) -> Double? {
            xScale.fraction(value).map { plotLeft + $0 * (plotRight - plotLeft) }
        }
        func yPosition(_ value: Double) -> Double? {
            yScale.fraction(value).map { plotBottom - $0 * (plotBottom - plotTop) }
        }

        drawing.text(title, (plotLeft + plotRight) / 2, top + 10, size: 1.25, anchor: .middle)
        for tick in yScale.ticks {
            guard let y = yPosition(tick) else { continue }
            drawing.line(from: PlotPoint(x: plotLeft, y: y), to: PlotPoint(x: plotRight, y: y), color: Self.gridColor)
            drawing.line(
                from: PlotPoint(x: plotLeft - 4, y: y), to: PlotPoint(x: plotLeft, y: y), color: Self.axisColor)
            drawing.text(yScale.label(tick), plotLeft - 6, y, anchor: .end)
        }
        for tick in xScale.ticks {
            guard let x = xPosition(tick) else { continue }
            drawing.line(
                from: PlotPoint(x: x, y: plotBottom), to: PlotPoint(x: x, y: plotBottom + 4), color: Self.axisColor)
            drawing.text(xScale.label(tick), x, plotBottom + 11, anchor: .middle)
        }
        for marker in markers {
            guard let x = xPosition(marker) else { continue }
            drawing.line(
                from: PlotPoint(x: x, y: plotTop), to: PlotPoint(x: x, y: plotBottom), color: Self.markerColor,
                dashed: true)
        }
        drawing.line(
            from: PlotPoint(x: plotLeft, y: plotTop), to: PlotPoint(x: plotLeft, y: plotBottom), color: Self.axisColor)
        drawing.line(
            from: PlotPoint(x: plotLeft, y: plotBottom), to: PlotPoint(x: plotRight, y: plotBottom),
            color: Self.axisColor)
        drawing.text(xLabel, (plotLeft + plotRight) / 2, plotBottom + 25, anchor: .middle)
        drawing.text(yLabel, left + 8, (plotTop + plotBottom) / 2, anchor: .middle, vertical: true)

        for line in series {
            // Break the line at values the axis cannot show (NaN loss, zero lr on a log axis).
            var run: [PlotPoint] = []
            for point in line.points + [(x: Double.nan, y: Double.nan)] {
                if let x = xPosition(point.x), let y = yPosition(point.y) {
                    run.append(PlotPoint(x: x, y: y))
                    drawing.rectangle(x - 2, y - 2, 4, 4, fill: line.color)
                } else {
                    if run.count > 1 {
                        drawing.add(.polyline(points: run, color: line.color, lineWidth: 1.5, dashed: line.dashed))
                    }
                    run = []
                }
            }
        }
        // The legend should avoid the lines too, so sample points along every segment.
        let plotted = series.flatMap { line in
            let points = line.points.compactMap { point in
                xPosition(point.x).flatMap { x in yPosition(point.y).map { PlotPoint(x: x, y: $0) } }
            }
            return zip(points, points.dropFirst()).flatMap { start, end in
                (0..<8).map {
                    PlotPoint(
                        x: start.x + (end.x - start.x) * Double($0) / 8, y: start.y + (end.y - start.y) * Double($0) / 8
                    )
                }
            } + points
        }
        drawLegend(into: &drawing, plotArea: (plotLeft, plotTop, plotRight, plotBottom), avoiding: plotted)
    }

    /// Draws the legend in the plot-area corner that hides the fewest data points (top right on ties).
    private func drawLegend(
        into drawing: inout Drawing, plotArea: (left: Double, top: Double, right: Double, bottom: Double),
        avoiding points: [PlotPoint]
    ) {
        guard !series.isEmpty else { return }
        let nameWidth = series.map { TextMeasure.width($0.name) }.max() ?? 0
        let rowHeight = 12.0
        let boxWidth = 8 + 18 + 6 + nameWidth
        let boxHeight = rowHeight * Double(series.count) + 6
        let corners = [
            (plotArea.right - 6 - boxWidth, plotArea.top + 6),
            (plotArea.right - 6 - boxWidth, plotArea.bottom - 6 - boxHeight),
            (plotArea.left + 6, plotArea.top + 6), (plotArea.left + 6, plotArea.bottom - 6 - boxHeight),
        ]
        let hidden = corners.map { corner in
            points.filter {
                $0.x >= corner.0 - 4 && $0.x <= corner.0 + boxWidth + 4 && $0.y >= corner.1 - 4
                    && $0.y <= corner.1 + boxHeight + 4
            }.count
        }
        let best = hidden.indices.min { hidden[$0] < hidden[$1] } ?? 0
        let (left, top) = corners[best]
        drawing.rectangle(
            left, top, boxWidth, boxHeight,
            fill: RGBAColor(red: 255, green: 255, blue: 255, alpha: 220), stroke: Self.gridColor)
        for (index, line) in series.enumerated() {
            let y = top + 3 + rowHeight * (Double(index) + 0.5)
            drawing.line(
                from: PlotPoint(x: left + 6, y: y), to: PlotPoint(x: left + 24, y: y), color: line.color, width: 1.5,
                dashed: line.dashed)
            drawing.text(line.name, left + 30, y)
        }
    }
}
