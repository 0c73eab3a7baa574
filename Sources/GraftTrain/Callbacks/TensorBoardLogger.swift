import Foundation
import GraftReport

/// Logs a run for TensorBoard (`tensorboard --logdir DIR`): one new event file in `directory` per `fit()` session.
///
/// Every chart's x axis is the number of training batches run (Lightning's global step): the training loss of every
/// `logEveryNSteps`-th batch as `train/loss_step`; after every epoch `train/loss`, `train/accuracy`, `val/loss`,
/// `val/accuracy`, `lr/<group>` for each trained parameter group, and `epoch` (counting from 0, as Lightning does);
/// the model, data and settings as the text `settings` when training starts. A resumed run marks its restart, so
/// TensorBoard drops what the earlier session logged past the checkpoint it resumed from. Under data-parallel
/// training only rank 0 writes.
public final class TensorBoardLogger: Callback {
    /// The folder receiving the event files.
    public let directory: URL
    /// Every how many training batches the batch loss is logged.
    public let logEveryNSteps: Int
    private var writer: TensorBoardEventWriter?

    /// Lightning's default interval for the per-batch training loss.
    public static let defaultLogEveryNSteps = 50

    /// Logs into `directory` (created when training starts), the batch loss every `logEveryNSteps` batches (at least 1).
    public init(directory: URL, logEveryNSteps: Int = TensorBoardLogger.defaultLogEveryNSteps) throws {
        guard logEveryNSteps >= 1 else {
            throw TrainingError.invalidSetting("logEveryNSteps", "logEveryNSteps must be at least 1 (got \(logEveryNSteps))")
        }
        self.directory = directory
        self.logEveryNSteps = logEveryNSteps
    }

    /// The event file being written, once training has started on rank 0.
    public var eventFile: URL? { writer?.url }

    /// Opens the event file (rank 0 only) and writes the settings; a resumed run first marks where it restarts.
    public func fitBegan(_ learner: Learner) throws {
        guard learner.dataParallel.map({ $0.rank == 0 }) ?? true else { return }
        let writer = try self.writer ?? TensorBoardEventWriter(directory: directory)
        self.writer = writer
        let step = learner.runProgress.nextEpoch * learner.trainLoader.batchCount
        if step > 0 { try writer.writeSessionStart(step: step + 1) }
        try writer.writeText(try Self.settingsMarkdown(learner), tag: "settings", step: step)
    }

    /// Writes the training loss every `logEveryNSteps` batches.
    public func batchEnded(_ learner: Learner) throws {
        guard let writer, learner.stage == .train, let loss = learner.batchLoss else { return }
        let step = learner.epoch * learner.trainLoader.batchCount + learner.batchIndex
        if step % logEveryNSteps == 0 { try writer.writeScalars([("train/loss_step", loss)], step: step) }
    }

    /// Writes the epoch's losses, accuracies and learning rates at the step of its last batch.
    public func epochEnded(_ learner: Learner) throws {
        guard let writer, let record = learner.history.epochs.last else { return }
        var scalars: [(tag: String, value: Double)] = [("epoch", Double(record.epoch - 1))]
        let measured: [(String, Double?)] = [
            ("train/loss", record.trainLoss), ("train/accuracy", record.trainAccuracy),
            ("val/loss", record.validationLoss), ("val/accuracy", record.validationAccuracy),
        ]
        scalars += measured.compactMap { tag, value in value.map { (tag: tag, value: $0) } }
        scalars += record.learningRates.enumerated().map { (tag: "lr/" + learner.history.groupName($0.offset), value: $0.element) }
        try writer.writeScalars(scalars, step: record.epoch * learner.trainLoader.batchCount)
    }

    /// The model, the data and the settings (when the learner was built from settings) as JSON in a Markdown code block.
    static func settingsMarkdown(_ learner: Learner) throws -> String {
        struct Summary: Encodable {
            let model: String
            let data: String
            let classes: [String]
            let settings: FineTuneSettings?
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .nonFiniteAsStrings
        let json = try encoder.encode(Summary(model: learner.model.name, data: learner.history.data, classes: learner.classes,
                                              settings: learner.settings))
        return String(decoding: json, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .map { "    " + $0 }.joined(separator: "\n")
    }
}
