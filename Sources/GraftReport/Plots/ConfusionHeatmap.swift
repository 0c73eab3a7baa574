extension ConfusionMatrix {
    /// The matrix as a heatmap: cell color = share of the true class's samples (row-normalized), cell text = count,
    /// class names along both axes (true down the side, predicted along the bottom), and a color bar.
    public func heatmap() -> Drawing {
        let shares = rowNormalized()
        let longestName = classNames.map { TextMeasure.width($0) }.max() ?? TextMeasure.cellAdvance
        let longestCount = counts.joined().map { TextMeasure.width("\($0)") }.max() ?? TextMeasure.cellAdvance
        let cell = max(26, longestCount + 8)
        let gridLeft = 24 + longestName + 8
        let gridTop = 34.0
        let gridSize = cell * Double(classCount)
        let width = gridLeft + gridSize + 70
        let height = gridTop + gridSize + 8 + longestName + 26

        var drawing = Drawing(width: max(width, 200), height: height)
        drawing.text("Confusion matrix", gridLeft + gridSize / 2, 14, size: 1.25, anchor: .middle)
        for (row, name) in classNames.enumerated() {
            let y = gridTop + cell * (Double(row) + 0.5)
            drawing.text(name, gridLeft - 6, y, anchor: .end)
            for column in 0..<classCount {
                let share = shares[row][column]
                let x = gridLeft + cell * Double(column)
                let fill = Palette.heatmapLow.mixed(with: Palette.heatmapHigh, share)
                drawing.rectangle(x, gridTop + cell * Double(row), cell, cell, fill: fill)
                drawing.text(
                    "\(counts[row][column])", x + cell / 2, y, color: share > 0.5 ? .white : .black, anchor: .middle)
            }
        }
        for (column, name) in classNames.enumerated() {
            let x = gridLeft + cell * (Double(column) + 0.5)
            drawing.text(name, x, gridTop + gridSize + 6, anchor: .end, vertical: true)
        }
        drawing.rectangle(
            gridLeft, gridTop, gridSize, gridSize, fill: RGBAColor(red: 0, green: 0, blue: 0, alpha: 0),
            stroke: LinePanel.axisColor)
        drawing.text("true", 10, gridTop + gridSize / 2, anchor: .middle, vertical: true)
        drawing.text("predicted", gridLeft + gridSize / 2, height - 10, anchor: .middle)
        drawColorBar(into: &drawing, left: gridLeft + gridSize + 14, top: gridTop, height: gridSize)
        return drawing
    }

    /// A vertical gradient from 0% (bottom) to 100% (top) of the row.
    private func drawColorBar(into drawing: inout Drawing, left: Double, top: Double, height: Double) {
        let steps = 20
        for step in 0..<steps {
            let share = 1 - (Double(step) + 0.5) / Double(steps)
            drawing.rectangle(
                left, top + height * Double(step) / Double(steps), 12, height / Double(steps) + 0.5,
                fill: Palette.heatmapLow.mixed(with: Palette.heatmapHigh, share))
        }
        drawing.rectangle(
            left, top, 12, height, fill: RGBAColor(red: 0, green: 0, blue: 0, alpha: 0),
            stroke: LinePanel.axisColor)
        drawing.text("100%", left + 16, top + 4)
        drawing.text("0%", left + 16, top + height - 4)
    }
}
