import Foundation

/// What happened in one epoch: the phase it belonged to, losses, accuracies, lrs and speed.
public struct EpochRecord: Codable, Sendable, Equatable {
    /// The epoch number (1-based, as printed).
    public var epoch: Int
    /// The fine-tuning phase, e.g. "head" or "unfreeze layer4".
    public var phase: String
    /// Mean training loss, if measured.
    public var trainLoss: Double?
    /// Training accuracy in 0...1, if measured.
    public var trainAccuracy: Double?
    /// Validation loss, if validated.
    public var validationLoss: Double?
    /// Validation accuracy in 0...1, if validated.
    public var validationAccuracy: Double?
    /// The lr of each parameter group during the epoch (groups added later make the list longer).
    public var learningRates: [Double]
    /// Wall-clock seconds the epoch took.
    public var seconds: Double
    /// Training throughput, if measured.
    public var imagesPerSecond: Double?

    /// Creates a record.
    public init(
        epoch: Int, phase: String, trainLoss: Double? = nil, trainAccuracy: Double? = nil,
        validationLoss: Double? = nil, validationAccuracy: Double? = nil, learningRates: [Double] = [],
        seconds: Double = 0, imagesPerSecond: Double? = nil
    ) {
        self.epoch = epoch
        self.phase = phase
        self.trainLoss = trainLoss
        self.trainAccuracy = trainAccuracy
        self.validationLoss = validationLoss
        self.validationAccuracy = validationAccuracy
        self.learningRates = learningRates
        self.seconds = seconds
        self.imagesPerSecond = imagesPerSecond
    }
}

/// The per-epoch history of a training run, saved as JSON next to its checkpoints.
public struct RunHistory: Codable, Sendable, Equatable {
    /// The model's registry name, e.g. "efficientnet-lite0".
    public var model: String
    /// A description of the data, e.g. "fashion-mnist 5000 train / 1000 val".
    public var data: String
    /// Names of the parameter groups in lr order (e.g. ["head", "layer4"]); missing names print as "group N".
    public var groupNames: [String]
    /// The epochs so far, in order.
    public private(set) var epochs: [EpochRecord]
    /// Learning rates found by the learning-rate finder, by what they set (`head`, `backbone`); nil when none was.
    public var foundLearningRates: [String: Double]?

    /// Creates an empty history.
    public init(model: String, data: String, groupNames: [String] = [], epochs: [EpochRecord] = []) {
        self.model = model
        self.data = data
        self.groupNames = groupNames
        self.epochs = epochs
    }

    /// Adds the record of a finished epoch, replacing an earlier record of the same epoch (after a resume).
    public mutating func record(_ epoch: EpochRecord) {
        epochs.removeAll { $0.epoch >= epoch.epoch }
        epochs.append(epoch)
    }

    /// The display name of parameter group `index`.
    public func groupName(_ index: Int) -> String {
        groupNames.indices.contains(index) ? groupNames[index] : "group \(index)"
    }

    /// The epoch with the highest validation accuracy (ties: the earliest); without accuracies the lowest
    /// validation loss; nil when nothing was validated.
    public var bestEpoch: EpochRecord? {
        let byAccuracy = epochs.filter { $0.validationAccuracy?.isFinite == true }
        if let best = byAccuracy.max(by: { ($0.validationAccuracy ?? 0) < ($1.validationAccuracy ?? 0) }) {
            return byAccuracy.first { $0.validationAccuracy == best.validationAccuracy }
        }
        let byLoss = epochs.filter { $0.validationLoss?.isFinite == true }
        return byLoss.min { ($0.validationLoss ?? 0) < ($1.validationLoss ?? 0) }
    }

    /// The summed wall-clock time of all epochs.
    public var totalSeconds: Double { epochs.reduce(0) { $0 + $1.seconds } }

    /// The history as JSON (NaN/Inf losses written as strings, so a diverged run still saves).
    public func jsonData() throws -> Data { try reportJSONEncoder().encode(self) }

    /// Reads a history written by `jsonData()`.
    public init(jsonData: Data) throws {
        self = try reportJSONDecoder().decode(RunHistory.self, from: jsonData)
    }
}
