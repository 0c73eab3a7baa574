import Foundation
import GraftReport
import GraftTrain

/// Shows training progress: a live one-line bar on a terminal, plain log lines otherwise.
final class ConsoleObserver: TrainingObserver {
    private let isTerminal = isatty(STDOUT_FILENO) != 0
    private let epochs: Int
    private var lastLogged = ""

    init(epochs: Int) {
        self.epochs = epochs
    }

    func note(_ message: String) {
        clearLine()
        Console.line(message)
    }

    func warning(_ message: String) {
        clearLine()
        Console.warning(message)
    }

    func batchFinished(_ p: BatchProgress) {
        let remaining = p.batch > 0 ? p.elapsed / Double(p.batch) * Double(p.batches - p.batch) : 0
        var text = "epoch \(p.epoch + 1)/\(epochs) \(p.stage) \(Self.bar(p.batch, p.batches)) \(p.batch)/\(p.batches)"
        if let loss = p.loss { text += String(format: " loss %.4f", loss) }
        if let accuracy = p.accuracy { text += String(format: " acc %5.1f%%", accuracy * 100) }
        text += String(format: " %.0f img/s ETA %@", p.imagesPerSecond, Self.clock(remaining))
        if isTerminal {
            Console.write("\r\u{1B}[2K" + text)
        } else {
            // Without a terminal: one line at half way and one at the end of each stage.
            let half = p.batch * 2 / max(p.batches, 1)
            let key = "\(p.stage)#\(p.epoch)#\(half)"
            guard half > 0, key != lastLogged else { return }
            lastLogged = key
            Console.line(text)
        }
    }

    func epochFinished(_ r: EpochRecord, isBest: Bool) {
        clearLine()
        let lrs = r.learningRates.map { String(format: "%.2e", $0) }.joined(separator: ",")
        Console.line(String(format: "epoch %d/%d [%@] train loss %.4f acc %.2f%% | val loss %.4f acc %.2f%% | lr %@ | %.1fs%@",
                     r.epoch, epochs, r.phase, r.trainLoss ?? .nan, (r.trainAccuracy ?? 0) * 100, r.validationLoss ?? .nan,
                     (r.validationAccuracy ?? 0) * 100, lrs, r.seconds, isBest ? " *best*" : ""))
    }

    private func clearLine() {
        if isTerminal { Console.write("\r\u{1B}[2K") }
    }

    static func bar(_ done: Int, _ total: Int, width: Int = 20) -> String {
        let filled = total > 0 ? min(width, done * width / total) : 0
        return "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "]"
    }

    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return String(format: "%d:%02d", s / 60, s % 60)
    }
}
