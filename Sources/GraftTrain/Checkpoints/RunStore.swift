import Foundation
import GraftIO
import GraftModels
import GraftReport
import GraftTensor

/// Everything a checkpoint says besides the weights: enough to evaluate, predict, export and resume exactly.
public struct CheckpointMetadata: Codable, Sendable {
    public var graftVersion: String
    public var model: String
    public var classes: [String]
    /// The preprocessing contract of an image model (nil for a text model).
    public var pretrainedConfig: PretrainedConfig?
    /// The encoder configuration, pooling, token limit and tokenizer of a text model (nil for an image model).
    public var text: TextModelMetadata?
    /// The settings of a learner built from `FineTuneSettings` (nil for one built from explicit parts).
    public var settings: FineTuneSettings?
    public var data: DataSpec?
    public var progress: RunProgress
    public var scheduler: LearningRateScheduler
    /// Layer groups in optimizer-group order.
    public var optimizerGroups: [String]
    public var optimizerScalars: [String: Double]
    public var history: RunHistory
    /// The loss scaler's state of a run that scales its loss (fp16), nil otherwise.
    public var lossScale: GradientScaler.State? = nil
}

/// A run directory: `checkpoints/best.safetensors` (weights of the best epoch — the averaged ones when the learner
/// keeps an `ema`) and `checkpoints/last.safetensors` (weights plus optimizer state and weight average of the latest
/// epoch), each with its metadata inside, written atomically.
public struct RunStore: Sendable {
    /// The run directory.
    public let directory: URL
    /// The data the run uses, recorded for resuming.
    public let data: DataSpec?
    /// For a text model: what its checkpoints need to be used on their own (configuration, tokenizer, …).
    public let text: TextModelMetadata?

    /// Prefix of optimizer tensors inside `last.safetensors`.
    static let optimizerPrefix = "__optimizer__."
    /// Prefix of the weight average's tensors inside `last.safetensors`.
    static let averagePrefix = "__ema__."
    /// safetensors metadata key holding the JSON metadata.
    static let metadataKey = "graft"

    /// A store in `directory` (created when missing); temporary files left by a killed earlier process are removed.
    /// A text model's run passes `text`, without which its checkpoints hold weights that cannot be rebuilt.
    public init(directory: URL, data: DataSpec?, text: TextModelMetadata? = nil) throws {
        self.directory = directory
        self.data = data
        self.text = text
        try FileManager.default.createDirectory(at: checkpointsDirectory, withIntermediateDirectories: true)
        AtomicFile.removeStaleTemporaries(in: checkpointsDirectory)
        AtomicFile.removeStaleTemporaries(in: directory)
    }

    /// `directory/checkpoints`.
    public var checkpointsDirectory: URL { Self.checkpointsDirectory(of: directory) }
    /// The best epoch's checkpoint.
    public var bestURL: URL { checkpointsDirectory.appendingPathComponent(Self.bestName) }
    /// The latest epoch's checkpoint.
    public var lastURL: URL { checkpointsDirectory.appendingPathComponent(Self.lastName) }
    /// The `last` checkpoint before the latest one, kept until the next is safely written (the fallback for resuming
    /// when `last` is damaged).
    public var previousURL: URL { checkpointsDirectory.appendingPathComponent(Self.previousName) }

    static let bestName = "best.safetensors", lastName = "last.safetensors", previousName = "last.previous.safetensors"

    static func checkpointsDirectory(of directory: URL) -> URL { directory.appendingPathComponent("checkpoints") }

    func metadata(_ learner: Learner, optimizerScalars: [String: Double]) -> CheckpointMetadata {
        CheckpointMetadata(
            graftVersion: GraftVersion.current, model: learner.model.name, classes: learner.classes,
            pretrainedConfig: (learner.model as? ImageClassifier)?.pretrainedConfig, text: text, settings: learner.settings, data: data,
            progress: learner.runProgress, scheduler: learner.scheduler, optimizerGroups: learner.trainedGroups,
            optimizerScalars: optimizerScalars, history: learner.history, lossScale: learner.gradientScaler?.state)
    }

    /// Writes the epoch's checkpoints: `best.safetensors` (weights — the averaged ones with an `ema`, which is what
    /// the epoch was validated with — and metadata) when `isBest`, then `last.safetensors` (the raw weights,
    /// optimizer state, weight average and metadata; what `Learner.restore` resumes from), the one before it first
    /// moved to `last.previous.safetensors`.
    public func saveEpoch(_ learner: Learner, isBest: Bool) throws {
        let state = try learner.optimizer.state()
        let metadata = metadata(learner, optimizerScalars: state.scalars)
        let weights = learner.model.stateDict()
        let average = learner.ema?.entries ?? []
        if isBest { try write(learner.ema == nil ? weights : average, metadata: metadata, to: bestURL) }
        if FileManager.default.fileExists(atPath: lastURL.path), rename(lastURL.path, previousURL.path) != 0 {
            throw TrainingError.invalidConfiguration("cannot keep \(lastURL.path) as \(Self.previousName): \(String(cString: strerror(errno)))")
        }
        try write(weights + state.tensors.map { (Self.optimizerPrefix + $0.0, $0.1) } + average.map { (Self.averagePrefix + $0.0, $0.1) },
                  metadata: metadata, to: lastURL)
    }

    /// The newest readable `last` checkpoint of the run in `directory`: `last.safetensors`, else (with `warning`
    /// saying why) the previous one. Throws a message saying how to recover when neither can be read.
    public static func newestResumableCheckpoint(in directory: URL, warning: (String) -> Void) throws -> LoadedCheckpoint {
        let checkpoints = checkpointsDirectory(of: directory)
        var problems: [String] = []
        for url in [lastName, previousName].map(checkpoints.appendingPathComponent) where FileManager.default.fileExists(atPath: url.path) {
            do {
                let checkpoint = try LoadedCheckpoint(contentsOf: url)
                if !problems.isEmpty {
                    warning("\(problems.joined(separator: "; ")); resuming from \(url.lastPathComponent) (after epoch \(checkpoint.metadata.progress.nextEpoch))")
                }
                return checkpoint
            } catch {
                problems.append("\(url.lastPathComponent) is unreadable (\(error))")
            }
        }
        guard !problems.isEmpty else { throw TrainingError.resume("\(directory.path) has no checkpoints/\(lastName)") }
        throw TrainingError.resume(problems.joined(separator: "; ")
            + "; start a new run from the best weights instead (weights: \(checkpoints.appendingPathComponent(bestName).path)), or delete the damaged files and train again")
    }

    func write(_ tensors: [(String, Tensor)], metadata: CheckpointMetadata, to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .nonFiniteAsStrings  // a diverged epoch's NaN loss still saves
        let json = String(decoding: try encoder.encode(metadata), as: UTF8.self)
        try SafetensorsWriter.write(StateDict(tensors: tensors), metadata: [(key: Self.metadataKey, value: json)], to: url)
    }
}

/// A Graft checkpoint read back: metadata, model weights and (for `last`) optimizer state and weight average.
public struct LoadedCheckpoint {
    public var metadata: CheckpointMetadata
    public var weights: [(String, Tensor)]
    public var optimizerState: OptimizerState
    /// The weight average (`Learner.ema`) of a `last` checkpoint of a run that keeps one; empty otherwise.
    public var averagedWeights: [(String, Tensor)]

    /// Reads a checkpoint written by `RunStore`; `path` may also be a run directory (its best checkpoint).
    public init(contentsOf path: URL) throws {
        var url = path
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path.path, isDirectory: &isDirectory), isDirectory.boolValue {
            url = RunStore.checkpointsDirectory(of: path).appendingPathComponent(RunStore.bestName)
        }
        let checkpoint = try CheckpointReader.readCheckpoint(contentsOf: url)
        guard let json = checkpoint.metadata.first(where: { $0.key == RunStore.metadataKey })?.value else {
            throw TrainingError.invalidConfiguration("\(url.path) is not a Graft checkpoint (no training metadata); use it with --weights instead")
        }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .nonFiniteAsStrings
        metadata = try decoder.decode(CheckpointMetadata.self, from: Data(json.utf8))
        let tensors = try checkpoint.stateDict.tensors()
        func entries(_ prefix: String) -> [(String, Tensor)] {
            tensors.filter { $0.0.hasPrefix(prefix) }.map { (String($0.0.dropFirst(prefix.count)), $0.1) }
        }
        weights = tensors.filter { !$0.0.hasPrefix(RunStore.optimizerPrefix) && !$0.0.hasPrefix(RunStore.averagePrefix) }
        averagedWeights = entries(RunStore.averagePrefix)
        optimizerState = OptimizerState()
        optimizerState.tensors = entries(RunStore.optimizerPrefix)
        optimizerState.scalars = metadata.optimizerScalars
    }

    /// The model rebuilt from the metadata with these weights loaded strictly: a `TextClassifier` for a text model,
    /// else an `ImageClassifier`.
    public func model() throws -> Classifier {
        let model: Classifier = try metadata.text.map { try $0.model(name: metadata.model, numClasses: metadata.classes.count) }
            ?? Models.make(metadata.model, numClasses: metadata.classes.count)
        try model.load(stateDict: weights, strict: true)
        return model
    }

    /// The image model (see `model()`); throws for a checkpoint of a text model.
    public func imageModel() throws -> ImageClassifier {
        guard let model = try model() as? ImageClassifier else {
            throw TrainingError.invalidConfiguration("the checkpoint holds the text model \(metadata.model); give it texts (--text, --texts or a text data file)")
        }
        return model
    }
}

/// The release of Graft that wrote a checkpoint.
public enum GraftVersion {
    /// This build's version.
    public static let current = "0.1.0"
}
