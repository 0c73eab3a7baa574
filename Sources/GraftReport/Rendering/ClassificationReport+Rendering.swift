extension ClassificationReport {
    /// The report as a text table laid out exactly like scikit-learn's `classification_report(digits:)`
    /// (including its "micro avg" title for the accuracy line when a class is neither present nor predicted).
    public func text(digits: Int = 2) -> String {
        let digits = min(max(digits, 0), 12)
        let lastHeading = "weighted avg"
        let width = max(classes.map(\.name.count).max() ?? 0, lastHeading.count, digits)
        let column = { (text: String) in " " + rightAligned(text, width: 9) }
        func row(_ heading: String, _ scores: ClassScores) -> String {
            rightAligned(heading, width: width) + " "
                + [scores.precision, scores.recall, scores.f1Score].map { column(fixed($0, digits: digits)) }.joined()
                + column("\(scores.support)") + "\n"
        }
        var text =
            rightAligned("", width: width) + " "
            + ["precision", "recall", "f1-score", "support"].map(column).joined() + "\n\n"
        for entry in classes { text += row(entry.name, entry.scores) }
        text += "\n"
        // scikit-learn prints the micro-averaged F1 (2pr/(p+r) with p = r = accuracy) on this line; it can differ
        // from the accuracy in the last bit, which decides rounding at exact halves such as 0.725.
        let microF1 = accuracy == 0 ? 0 : 2 * accuracy * accuracy / (accuracy + accuracy)
        if hasUnseenClass {
            text += row(
                "micro avg",
                ClassScores(
                    precision: accuracy, recall: accuracy, f1Score: microF1, support: sampleCount))
        } else {
            text +=
                rightAligned("accuracy", width: width) + " " + column("") + column("")
                + column(fixed(microF1, digits: digits)) + column("\(sampleCount)") + "\n"
        }
        text += row("macro avg", macroAverage)
        text += row(lastHeading, weightedAverage)
        return text
    }

    /// The report as CSV: a header, one line per class, then accuracy, macro avg and weighted avg lines.
    public func csv() -> String {
        func line(_ name: String, _ scores: ClassScores) -> String {
            ([csvField(name)] + [scores.precision, scores.recall, scores.f1Score].map(plainNumber)
                + ["\(scores.support)"]).joined(separator: ",") + "\n"
        }
        var text = "class,precision,recall,f1-score,support\n"
        for entry in classes { text += line(entry.name, entry.scores) }
        text += "accuracy,,,\(plainNumber(accuracy)),\(sampleCount)\n"
        text += line("macro avg", macroAverage)
        text += line("weighted avg", weightedAverage)
        return text
    }

    /// The report as pretty-printed JSON (the Codable form, keys sorted).
    public func json() throws -> String { try prettyJSON(self) }
}
