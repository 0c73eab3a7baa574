import Foundation
import GraftIO
import GraftNN
import GraftTensor

/// A training checkpoint the way PyTorch's fine-tuning tutorial saves one — epoch, model, optimizer, scheduler,
/// metrics and settings — written in one call as a PyTorch `.pth` (`torch.load` returns the tutorial's dict, which
/// `model.load_state_dict` and `optimizer.load_state_dict` accept) or as Graft's safetensors file, and read back from
/// either in one call.
public struct TrainingCheckpoint {
    /// The container a checkpoint is written in.
    public enum Format: String, Sendable, CaseIterable {
        /// PyTorch's zip `.pth` holding the tutorial's dict.
        case pytorch
        /// Graft's safetensors file: the same dict, its tensors as entries and the rest as JSON metadata.
        case graft

        /// The format a file name implies: `.pth`, `.pt`, `.tar`, `.ckpt` are PyTorch's, `.safetensors` Graft's.
        public init(url: URL) throws {
            switch url.pathExtension.lowercased() {
            case "pth", "pt", "tar", "ckpt": self = .pytorch
            case "safetensors": self = .graft
            default: throw TrainingError.unknownCheckpointFormat(path: url.path)
            }
        }
    }

    /// The epoch the checkpoint was taken after.
    public var epoch: Int
    /// The model's parameters and buffers with PyTorch's names, in state-dict order.
    public var modelState: [(String, Tensor)]
    /// The optimizer's state in torch.optim's `state_dict()` layout (see `TorchStateDictConvertible`).
    public var optimizerState: PickleValue
    /// The learning-rate scheduler, when one is attached.
    public var scheduler: LearningRateScheduler?
    /// Metrics by name, e.g. `val_acc`.
    public var metrics: [String: Double]
    /// The run's settings as JSON (e.g. an encoded `FineTuneSettings`), nil when none were saved.
    public var settingsJSON: String?

    /// A checkpoint from its parts.
    public init(epoch: Int, modelState: [(String, Tensor)], optimizerState: PickleValue, scheduler: LearningRateScheduler? = nil,
                metrics: [String: Double] = [:], settingsJSON: String? = nil) {
        self.epoch = epoch
        self.modelState = modelState
        self.optimizerState = optimizerState
        self.scheduler = scheduler
        self.metrics = metrics
        self.settingsJSON = settingsJSON
    }

    /// Captures a copy of `model`'s state, `optimizer`'s state (with each group's `initial_lr` from `scheduler`) and
    /// `settings` encoded as JSON, so later training does not change the checkpoint.
    public init(epoch: Int, model: Module, optimizer: any TorchStateDictConvertible, scheduler: LearningRateScheduler? = nil,
                metrics: [String: Double] = [:], settings: (any Encodable)? = nil) throws {
        let modelState = try model.stateDict().map { ($0.0, try $0.1.detached().clone()) }
        let settingsJSON = try settings.map { value in
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        }
        self.init(epoch: epoch, modelState: modelState,
                  optimizerState: try optimizer.torchStateDict(initialLearningRates: scheduler?.baseLearningRates),
                  scheduler: scheduler, metrics: metrics, settingsJSON: settingsJSON)
    }

    /// Reads a checkpoint in either format (told apart by content) from `url`.
    public init(contentsOf url: URL) throws {
        try self.init(torchValue: try CheckpointReader.readObject(contentsOf: url))
    }

    /// Writes the checkpoint atomically to `url`, in `format` or the one the file name implies.
    public func save(to url: URL, format: Format? = nil) throws {
        let value = try torchValue()
        switch try format ?? Format(url: url) {
        case .pytorch: try TorchPthWriter.write(value, to: url)
        case .graft: try SafetensorsObject.write(value, to: url)
        }
    }

    /// The saved settings decoded as `type`, nil when none were saved.
    public func settings<Settings: Decodable>(as type: Settings.Type) throws -> Settings? {
        try settingsJSON.map { try JSONDecoder().decode(type, from: Data($0.utf8)) }
    }

    /// Loads the weights into `model` (strictly: every name and shape must match) and the state into `optimizer`
    /// (same groups and settings); each throws naming the mismatch before changing what it loads into. Assign
    /// `scheduler` to resume the schedule.
    public func restore(model: Module, optimizer: any TorchStateDictConvertible) throws {
        do {
            try model.load(stateDict: modelState, strict: true)
        } catch NNError.stateDictMismatch(let report) {
            throw TrainingError.incompatibleModelState(report.description)
        }
        try optimizer.loadTorchStateDict(optimizerState)
    }
}
