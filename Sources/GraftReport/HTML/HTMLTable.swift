/// A plain HTML table: an optional header row and text cells (escaped when rendered).
struct HTMLTable {
    let header: [String]
    let rows: [[String]]

    /// The `<table>` markup; with an empty header the first cell of each row is a row heading.
    func markup(className: String) -> String {
        var html = "<table class=\"\(className)\">\n"
        if !header.isEmpty {
            html += "<thead><tr>" + header.map { "<th>\(escapeXML($0))</th>" }.joined() + "</tr></thead>\n"
        }
        html += "<tbody>\n"
        for row in rows {
            let cells = row.enumerated().map { index, cell in
                header.isEmpty && index == 0 ? "<th>\(escapeXML(cell))</th>" : "<td>\(escapeXML(cell))</td>"
            }
            html += "<tr>" + cells.joined() + "</tr>\n"
        }
        return html + "</tbody>\n</table>"
    }

    /// scikit-learn's report layout with 4 decimals.
    static func classificationReport(_ report: ClassificationReport) -> HTMLTable {
        func row(_ name: String, _ scores: ClassScores) -> [String] {
            [name] + [scores.precision, scores.recall, scores.f1Score].map { fixed($0, digits: 4) } + [
                "\(scores.support)"
            ]
        }
        let rows =
            report.classes.map { row($0.name, $0.scores) }
            + [
                ["accuracy", "", "", fixed(report.accuracy, digits: 4), "\(report.sampleCount)"],
                row("macro avg", report.macroAverage), row("weighted avg", report.weightedAverage),
            ]
        return HTMLTable(header: ["class", "precision", "recall", "f1-score", "support"], rows: rows)
    }

    /// Counts with true classes down the side and predicted classes across.
    static func confusionMatrix(_ matrix: ConfusionMatrix) -> HTMLTable {
        HTMLTable(
            header: ["true \\ predicted"] + matrix.classNames,
            rows: zip(matrix.classNames, matrix.counts).map { name, row in [name] + row.map { "\($0)" } })
    }
}
