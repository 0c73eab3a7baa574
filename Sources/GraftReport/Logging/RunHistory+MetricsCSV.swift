/// The history as PyTorch Lightning's `CSVLogger` lays out `metrics.csv`, so tools written for Lightning runs read
/// Graft's too: a header of every metric name sorted alphabetically (`epoch`, `epoch_seconds`, `lr-<group>`…,
/// `step`, `train_acc`, `train_loss`, `val_acc`, `val_loss`), then one row per epoch, empty where an epoch has no
/// value. As in Lightning, `epoch` counts from 0 and `step` is the number of training batches run by the end of the
/// epoch (the optimizer steps, unless batches accumulate); `history.json` and the console count epochs from 1.
extension RunHistory {
    /// The CSV text, given the training batches of one epoch.
    public func metricsCSV(batchesPerEpoch: Int) -> String {
        let groups = epochs.map(\.learningRates.count).max() ?? 0
        let rateColumns = (0..<groups).map { "lr-" + groupName($0) }
        let columns = (["epoch", "epoch_seconds", "step", "train_acc", "train_loss", "val_acc", "val_loss"] + rateColumns).sorted()
        let rows = epochs.map { record -> [String] in
            var values: [String: String] = [
                "epoch": "\(record.epoch - 1)", "step": "\(record.epoch * batchesPerEpoch)", "epoch_seconds": "\(record.seconds)",
            ]
            values["train_loss"] = record.trainLoss.map { "\($0)" }
            values["train_acc"] = record.trainAccuracy.map { "\($0)" }
            values["val_loss"] = record.validationLoss.map { "\($0)" }
            values["val_acc"] = record.validationAccuracy.map { "\($0)" }
            for (index, rate) in record.learningRates.enumerated() { values[rateColumns[index]] = "\(rate)" }
            return columns.map { values[$0] ?? "" }
        }
        return ([columns] + rows).map { $0.map(Self.csvField).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    /// A field quoted as Python's `csv` module quotes it: only when it holds a comma, a quote or a line break.
    private static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
