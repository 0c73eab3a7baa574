import GraftIO
import GraftTensor

/// The tutorial's dict: `{'epoch', 'model_state_dict', 'optimizer_state_dict', 'val_acc'}`, then
/// `scheduler_state_dict` when a scheduler is attached, the other metrics by name and `graft_settings` (JSON text).
extension TrainingCheckpoint {
    /// The dict's fixed keys.
    enum Key {
        static let epoch = "epoch"
        static let model = "model_state_dict"
        static let optimizer = "optimizer_state_dict"
        static let scheduler = "scheduler_state_dict"
        static let validationAccuracy = "val_acc"
        static let settings = "graft_settings"
        static let all: Set<String> = [epoch, model, optimizer, scheduler, settings]
    }

    /// The value `torch.save` would be given.
    func torchValue() throws -> PickleValue {
        var entries: [(String, PickleValue)] = [
            (Key.epoch, .int(epoch)),
            (Key.model, PickleValue(try StateDict(tensors: modelState))),
            (Key.optimizer, optimizerState),
        ]
        if let accuracy = metrics[Key.validationAccuracy] { entries.append((Key.validationAccuracy, .float(accuracy))) }
        if let scheduler { entries.append((Key.scheduler, Self.perTorchGroup(try scheduler.torchStateDict(), optimizerState: optimizerState))) }
        for (name, value) in metrics.sorted(by: { $0.key < $1.key }) where name != Key.validationAccuracy {
            guard !Key.all.contains(name) else { throw TrainingError.invalidCheckpoint("the metric name '\(name)' is reserved for the checkpoint's own entry") }
            entries.append((name, .float(value)))
        }
        if let settingsJSON { entries.append((Key.settings, .string(settingsJSON))) }
        return .dict(entries.map { PickleEntry(key: .string($0.0), value: $0.1) })
    }

    /// The checkpoint a loaded tutorial dict describes; every top-level number other than `epoch` is a metric.
    init(torchValue root: PickleValue) throws {
        guard let entries = root.dictEntries else {
            throw TrainingError.invalidCheckpoint("the file holds \(root.pythonDescription), not a dict with \(Key.epoch), \(Key.model) and \(Key.optimizer)")
        }
        func required(_ key: String) throws -> PickleValue {
            guard let value = root[key] else {
                let keys = entries.map(\.key.pythonDescription).joined(separator: ", ")
                throw TrainingError.invalidCheckpoint("no '\(key)' entry (the file has \(keys)); save with the keys of PyTorch's fine-tuning tutorial")
            }
            return value
        }
        guard case .int(let epoch) = try required(Key.epoch) else { throw TrainingError.invalidCheckpoint("'\(Key.epoch)' is not an integer") }
        guard let modelEntries = try required(Key.model).dictEntries else { throw TrainingError.invalidCheckpoint("'\(Key.model)' is not a dict") }
        let modelState = try modelEntries.map { entry -> (String, Tensor) in
            guard case .string(let name) = entry.key, case .tensor(let stored) = entry.value else {
                throw TrainingError.invalidCheckpoint("'\(Key.model)' holds \(entry.value.pythonDescription) under \(entry.key.pythonDescription), not a named tensor")
            }
            return (name, try Tensor(stored))
        }
        var metrics: [String: Double] = [:]
        for entry in entries {
            guard case .string(let name) = entry.key, !Key.all.contains(name) else { continue }
            switch entry.value {
            case .int, .float: metrics[name] = entry.value.pythonNumber
            default: continue
            }
        }
        var settingsJSON: String?
        if let settings = root[Key.settings] {
            guard case .string(let json) = settings else { throw TrainingError.invalidCheckpoint("'\(Key.settings)' is not a JSON string") }
            settingsJSON = json
        }
        let optimizerState = try required(Key.optimizer)
        let scheduler = try root[Key.scheduler].map { try LearningRateScheduler(torchStateDict: Self.perGraftGroup($0, optimizerState: optimizerState)) }
        self.init(epoch: epoch, modelState: modelState, optimizerState: optimizerState, scheduler: scheduler, metrics: metrics, settingsJSON: settingsJSON)
    }
}
