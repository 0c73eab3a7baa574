import ArgumentParser
import Foundation
import GraftData
import GraftTensor
import GraftTrain
import Yams

/// Everything `graft train` can be told, each value optional: decoded straight from a YAML/JSON `--config` file
/// (keys are flag names, with `-` or `_`), built from the command line's flags, and merged (flags win) before it
/// becomes the library's typed `FineTuneSettings` and `DataSpec`.
struct TrainConfiguration: Codable, Equatable {
    var data, images, val: String?
    var valSplit: Double?
    var trainLimit, valLimit: Int?
    var model, weights: String?
    var fromScratch: Bool?
    var epochs, batchSize: Int?
    var lr, headLr: LearningRateArgument?
    var layerDecay: Double?
    var optimizer: FineTuneSettings.OptimizerKind?
    var weightDecay, momentum: Double?
    var strategy: FineTuneSettings.Strategy?
    var headEpochs, unfreezeDepth: Int?
    var phases: [Phase]?
    var schedule: FineTuneSettings.ScheduleKind?
    var warmupEpochs: Int?
    var labelSmoothing: Double?
    var classWeights: FineTuneSettings.ClassWeighting?
    var seed: UInt64?
    var workers, threads, imageSize: Int?
    var mean, std: [Double]?
    var patience: Int?
    var augment: AugmentationPreset?
    var noFlip: Bool?
    var bn: FineTuneSettings.BatchNormPolicy?
    var accumulate: Int?
    var clipGradNorm: Double?
    var decayNormBias: Bool?
    var noFeatureCache: Bool?
    var mixup, cutmix, ema: Double?
    var textColumn, labelColumn: String?
    var maxLength: Int?
    var classes: [String]?
    var onBadImage: String?
    var output: String?
    var tensorboard: String?
    var noTensorboard: Bool?
    var logEveryNSteps: Int?
    var device: String?
    var precision: String?
    var nprocPerNode, nnodes, nodeRank: Int?
    var masterAddr: String?
    var masterPort: Int?
    var distTimeout: Double?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case data, images, val, valSplit = "val-split", trainLimit = "train-limit", valLimit = "val-limit", model, weights
        case fromScratch = "from-scratch", epochs, batchSize = "batch-size", lr, headLr = "head-lr", layerDecay = "layer-decay"
        case optimizer, weightDecay = "weight-decay", momentum, strategy, headEpochs = "head-epochs"
        case unfreezeDepth = "unfreeze-depth", phases, schedule, warmupEpochs = "warmup-epochs"
        case labelSmoothing = "label-smoothing", classWeights = "class-weights", seed, workers, threads
        case imageSize = "image-size", mean, std, patience, augment, noFlip = "no-flip", noFeatureCache = "no-feature-cache"
        case mixup, cutmix, ema
        case bn, accumulate, clipGradNorm = "clip-grad-norm", decayNormBias = "decay-norm-bias"
        case textColumn = "text-column", labelColumn = "label-column", maxLength = "max-length", classes
        case onBadImage = "on-bad-image", output, tensorboard, noTensorboard = "no-tensorboard"
        case logEveryNSteps = "log-every-n-steps", device, precision
        case nprocPerNode = "nproc-per-node", nnodes, nodeRank = "node-rank", masterAddr = "master-addr", masterPort = "master-port"
        case distTimeout = "dist-timeout"
    }

    /// The file at `path`, decoded; unknown keys and mistyped values are errors naming the key.
    static func load(_ path: String) throws -> TrainConfiguration {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ValidationError("--config \(path): cannot read the file")
        }
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            throw ValidationError("--config \(path): not valid YAML/JSON (\(error))")
        }
        guard case .mapping(let mapping)? = node else {
            throw ValidationError("--config \(path): expected a mapping of flag names to values")
        }
        var normalized = Node.Mapping([])
        for (key, value) in mapping {
            let name = (key.string ?? "").replacingOccurrences(of: "_", with: "-")
            guard CodingKeys(rawValue: name) != nil else {
                throw ValidationError("--config \(path): unknown key '\(key.string ?? "")'; keys are \(CodingKeys.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            normalized[Node(name)] = value
        }
        do {
            return try YAMLDecoder().decode(TrainConfiguration.self, from: try Yams.serialize(node: Node.mapping(normalized)))
        } catch let DecodingError.typeMismatch(type, context), let DecodingError.valueNotFound(type, context) {
            throw ValidationError("--config \(path): \(Self.keyPath(context)) must be \(type) (\(context.debugDescription))")
        } catch let DecodingError.dataCorrupted(context) {
            throw ValidationError("--config \(path): \(Self.keyPath(context)): \(context.debugDescription)")
        } catch {
            throw ValidationError("--config \(path): \(error)")
        }
    }

    static func keyPath(_ context: DecodingError.Context) -> String {
        context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }

    /// This configuration with every value `overrides` sets replacing this one's.
    func overlaid(by overrides: TrainConfiguration) throws -> TrainConfiguration {
        func object(_ value: TrainConfiguration) throws -> [String: Any] {
            try JSONSerialization.jsonObject(with: JSONEncoder().encode(value)) as? [String: Any] ?? [:]
        }
        let merged = try object(self).merging(try object(overrides)) { _, flag in flag }
        return try JSONDecoder().decode(TrainConfiguration.self, from: JSONSerialization.data(withJSONObject: merged))
    }

    /// The library's settings: Graft's defaults with these values applied, validated.
    func settings() throws -> FineTuneSettings {
        var s = FineTuneSettings()
        if let epochs { s.epochs = epochs }
        if let batchSize { s.batchSize = batchSize }
        switch lr {
        case .rate(let value)?: s.backboneLearningRate = value
        case .auto?: s.findBackboneLearningRate = true
        case nil: break
        }
        switch headLr {
        case .rate(let value)?: s.headLearningRate = value
        case .auto?: s.findHeadLearningRate = true
        case nil: break
        }
        if let layerDecay { s.layerDecay = layerDecay }
        if let optimizer { s.optimizer = optimizer }
        if let weightDecay { s.weightDecay = weightDecay }
        if let momentum { s.momentum = momentum }
        if let strategy { s.strategy = strategy } else if unfreezeDepth != nil { s.strategy = .progressive }
        if let headEpochs { s.headEpochs = headEpochs }
        if let unfreezeDepth { s.unfreezeDepth = unfreezeDepth }
        if let phases { s.phases = phases }
        if let schedule { s.schedule = schedule }
        if let warmupEpochs { s.warmupEpochs = warmupEpochs }
        if let labelSmoothing { s.labelSmoothing = labelSmoothing }
        if let classWeights { s.classWeighting = classWeights }
        if let seed { s.seed = seed }
        s.workers = workers
        s.imageSize = imageSize
        s.mean = mean
        s.std = std
        s.patience = patience
        if let augment { s.augmentation = augment }
        s.flip = !(noFlip ?? false)
        if let bn { s.batchNorm = bn }
        if let accumulate { s.accumulateBatches = accumulate }
        s.clipGradNorm = clipGradNorm
        s.decayNormAndBias = decayNormBias ?? false
        s.cacheFeatures = !(noFeatureCache ?? false)
        if let mixup { s.mixup = mixup }
        if let cutmix { s.cutmix = cutmix }
        s.ema = ema
        if let textColumn { s.textColumn = textColumn }
        if let labelColumn { s.labelColumn = labelColumn }
        s.skipBadImages = try badImagePolicy() == .skip
        s.maxLength = maxLength
        try s.validate()
        return s
    }

    /// Where the images come from.
    func dataSpec() -> DataSpec {
        DataSpec(source: data ?? "", images: images, validation: val, validationSplit: valSplit ?? 0.2,
                 trainLimit: trainLimit, validationLimit: valLimit, classes: classes)
    }

    /// Where training runs (default: the CPU).
    func trainingDevice() throws -> Device { try ComputeOptions.device(device) }

    /// The precision of training's forward passes (default: fp32).
    func trainingPrecision() throws -> Precision {
        guard let text = precision else { return .fp32 }
        guard let parsed = Precision(rawValue: text) else {
            throw ValidationError("--precision must be one of \(Precision.allCases.map(\.rawValue).joined(separator: ", ")) (got '\(text)')")
        }
        return parsed
    }

    /// The TensorBoard logger these values ask for: into `--tensorboard DIR`, else `RUN/tensorboard` of the run
    /// directory; none with `--no-tensorboard`.
    func tensorBoardLogger(runDirectory: URL) throws -> TensorBoardLogger? {
        if noTensorboard == true {
            guard tensorboard == nil else { throw ValidationError("--tensorboard and --no-tensorboard contradict each other; give one") }
            return nil
        }
        let directory = tensorboard.map { URL(fileURLWithPath: $0) } ?? runDirectory.appendingPathComponent("tensorboard")
        return try TensorBoardLogger(directory: directory, logEveryNSteps: logEveryNSteps ?? TensorBoardLogger.defaultLogEveryNSteps)
    }

    func badImagePolicy() throws -> BadImagePolicy {
        guard let text = onBadImage else { return .skip }
        guard let policy = BadImagePolicy(rawValue: text) else {
            throw ValidationError("--on-bad-image must be skip or error (got '\(text)')")
        }
        return policy
    }
}
