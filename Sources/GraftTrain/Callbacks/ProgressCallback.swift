import Foundation
import GraftReport

/// Shows training progress as text: on a terminal a live one-line bar per stage, otherwise a line at half way and at
/// the end of each stage; one summary line per epoch; notes and warnings as lines. The learner never prints: this
/// callback writes through `write` (standard output by default) and `writeWarning` (standard error).
public final class ProgressCallback: Callback {
    /// Receives text exactly as it should appear (lines end with "\n"; the live bar uses "\r").
    public let write: (String) -> Void
    /// Receives warning lines (`warning: …\n`).
    public let writeWarning: (String) -> Void
    /// Whether the output is a terminal (live bar) or a log (occasional lines).
    public let isTerminal: Bool
    private var lastLogged = ""

    /// Progress to `write` and warnings to `writeWarning`; by default standard output (live when it is a terminal)
    /// and standard error.
    public init(isTerminal: Bool = isatty(STDOUT_FILENO) != 0, write: @escaping (String) -> Void = ProgressCallback.standardOutput,
                writeWarning: @escaping (String) -> Void = ProgressCallback.standardError) {
        self.isTerminal = isTerminal
        self.write = write
        self.writeWarning = writeWarning
    }

    /// Writes to standard output, unbuffered (so progress shows at once in logs and pipes).
    public static func standardOutput(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    /// Writes to standard error, unbuffered.
    public static func standardError(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    public func received(_ message: LearnerMessage, from learner: Learner) {
        clearLine()
        switch message.kind {
        case .note: write(message.text + "\n")
        case .warning: writeWarning("warning: " + message.text + "\n")
        }
    }

    public func batchEnded(_ learner: Learner) throws {
        let p = learner.batchProgress
        let remaining = p.batch > 0 ? p.elapsed / Double(p.batch) * Double(p.batches - p.batch) : 0
        var text = "epoch \(p.epoch + 1)/\(learner.epochs) \(p.stage) \(Self.bar(p.batch, p.batches)) \(p.batch)/\(p.batches)"
        if let loss = p.loss { text += String(format: " loss %.4f", loss) }
        if let accuracy = p.accuracy { text += String(format: " acc %5.1f%%", accuracy * 100) }
        let unit = learner.trainLoader.sampleNoun == "images" ? "img" : learner.trainLoader.sampleNoun
        text += String(format: " %.0f %@/s ETA %@", p.imagesPerSecond, unit, Self.clock(remaining))
        if isTerminal {
            write("\r\u{1B}[2K" + text)
        } else {
            let half = p.batch * 2 / max(p.batches, 1)
            let key = "\(p.stage)#\(p.epoch)#\(half)"
            guard half > 0, key != lastLogged else { return }
            lastLogged = key
            write(text + "\n")
        }
    }

    public func epochEnded(_ learner: Learner) throws {
        clearLine()
        guard let r = learner.history.epochs.last else { return }
        let lrs = r.learningRates.map { String(format: "%.2e", $0) }.joined(separator: ",")
        write(String(format: "epoch %d/%d [%@] train loss %.4f acc %.2f%% | val loss %.4f acc %.2f%% | lr %@ | %.1fs%@\n",
                     r.epoch, learner.epochs, r.phase, r.trainLoss ?? .nan, (r.trainAccuracy ?? 0) * 100, r.validationLoss ?? .nan,
                     (r.validationAccuracy ?? 0) * 100, lrs, r.seconds, learner.lastEpochWasBest ? " *best*" : ""))
    }

    private func clearLine() {
        if isTerminal { write("\r\u{1B}[2K") }
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
