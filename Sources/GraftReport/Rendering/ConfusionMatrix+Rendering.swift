extension ConfusionMatrix {
    /// The matrix as an aligned text table: class names down the side (true) and across the top (predicted).
    public func text() -> String {
        let corner = "true \\ predicted"
        let rowHeadingWidth = max(corner.count, classNames.map(\.count).max() ?? 0)
        let columnWidths = classNames.indices.map { column in
            max(classNames[column].count, counts.map { "\($0[column])".count }.max() ?? 1)
        }
        var text = rightAligned(corner, width: rowHeadingWidth)
        for (name, width) in zip(classNames, columnWidths) { text += "  " + rightAligned(name, width: width) }
        text += "\n"
        for (name, row) in zip(classNames, counts) {
            text += rightAligned(name, width: rowHeadingWidth)
            for (count, width) in zip(row, columnWidths) { text += "  " + rightAligned("\(count)", width: width) }
            text += "\n"
        }
        return text
    }

    /// The matrix as CSV: a header `true\predicted,<names...>` then one line per true class.
    public func csv() -> String {
        var text = (["true\\predicted"] + classNames).map(csvField).joined(separator: ",") + "\n"
        for (name, row) in zip(classNames, counts) {
            text += ([csvField(name)] + row.map { "\($0)" }).joined(separator: ",") + "\n"
        }
        return text
    }

    /// The matrix as pretty-printed JSON: `{"classNames": [...], "counts": [[...]]}`.
    public func json() throws -> String { try prettyJSON(self) }

    /// Each row divided by its sum (recall per cell); rows of absent classes stay zero.
    public func rowNormalized() -> [[Double]] {
        counts.map { row in
            let sum = row.reduce(0, +)
            return row.map { sum == 0 ? 0 : Double($0) / Double(sum) }
        }
    }
}
