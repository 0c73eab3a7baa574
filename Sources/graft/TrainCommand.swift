import ArgumentParser
import Foundation
import GraftData
import GraftModels
import GraftReport
import GraftTensor
import GraftTrain

extension FineTuneSettings.Strategy: ExpressibleByArgument {}
extension FineTuneSettings.OptimizerKind: ExpressibleByArgument {}
extension FineTuneSettings.ScheduleKind: ExpressibleByArgument {}
extension FineTuneSettings.ClassWeighting: ExpressibleByArgument {}

/// `graft train`: fine-tune a pretrained model on a folder of labelled images.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Fine-tune a pretrained model on your labelled images.",
        discussion: """
        Trains in phases (head first, then progressively unfreezing deeper groups with smaller learning rates), \
        validates every epoch, keeps checkpoints/best.safetensors and checkpoints/last.safetensors, and writes the \
        classification report, confusion matrix, learning curves and report.html into the run directory.
        Any flag can also be given in a YAML or JSON --config file (keys are flag names without dashes; \
        flags on the command line win), which may also hold `phases:` as a list of {at_epoch, unfreeze, lr}.
        """)

    @Option(help: "Training data: an ImageFolder directory (one sub-folder per class), a CSV/TSV of filename,label (with --images), or 'fashion-mnist'.")
    var data: String?
    @Option(help: "Directory holding the images named in a CSV/TSV --data file.")
    var images: String?
    @Option(name: .customLong("val"), help: "Separate validation ImageFolder or CSV (default: hold out --val-split of --data).")
    var validation: String?
    @Option(help: "Fraction of --data held out for validation when --val is not given.")
    var valSplit: Double = 0.2
    @Option(help: "Use a stratified subset of at most this many training images.")
    var trainLimit: Int?
    @Option(help: "Use a stratified subset of at most this many validation images.")
    var valLimit: Int?
    @Option(help: "Architecture: \(Models.names.joined(separator: ", ")).")
    var model = "efficientnet_lite0"
    @Option(help: "Pretrained weights (.pth or .safetensors state dict); default: the offline asset for the model, if installed.")
    var weights: String?
    @Flag(help: "Start from random weights instead of a pretrained checkpoint.")
    var fromScratch = false
    @Option(help: "Number of epochs.")
    var epochs: Int?
    @Option(help: "Images per batch.")
    var batchSize: Int?
    @Option(help: "Learning rate of the deepest unfrozen backbone group (earlier groups get --layer-decay times the next).")
    var lr: Double?
    @Option(help: "Learning rate of the new classifier head.")
    var headLr: Double?
    @Option(help: "Factor between learning rates of consecutive backbone groups.")
    var layerDecay: Double?
    @Option(help: "Optimizer: sgd, adam, adamw.")
    var optimizer: FineTuneSettings.OptimizerKind?
    @Option(help: "Weight decay (decoupled for adamw).")
    var weightDecay: Double?
    @Option(help: "SGD momentum (Nesterov when > 0).")
    var momentum: Double?
    @Option(help: "What trains when: head (backbone frozen), full (all, discriminative lrs), progressive (head, then deeper groups).")
    var strategy: FineTuneSettings.Strategy?
    @Option(help: "Progressive: epochs of head-only training before the first unfreeze (default: a third of the run).")
    var headEpochs: Int?
    @Option(help: "Progressive: how many backbone groups to unfreeze, deepest first.")
    var unfreezeDepth: Int?
    @Option(help: "A custom phase 'at_epoch=N,unfreeze=group[+group],lr=X' (repeatable; replaces the strategy). Epochs are 0-based.")
    var phase: [String] = []
    @Option(help: "Learning-rate schedule: cosine, step, onecycle, constant.")
    var schedule: FineTuneSettings.ScheduleKind?
    @Option(help: "Epochs of linear warm-up before the schedule.")
    var warmupEpochs: Int?
    @Option(help: "Label smoothing for the cross-entropy loss.")
    var labelSmoothing: Double?
    @Option(help: "Class weights in the loss: none, or auto (inverse frequency) for imbalanced data.")
    var classWeights: FineTuneSettings.ClassWeighting?
    @Option(help: "Seed for the new head, shuffling, augmentation and dropout.")
    var seed: UInt64?
    @Option(help: "Data-loading threads (default: the number of cores).")
    var workers: Int?
    @Option(help: "libtorch intra-op threads (default: libtorch's, one per physical core; more can be much slower on a busy machine).")
    var threads: Int?
    @Option(help: "Network input size in pixels (default: the model's pretrained size).")
    var imageSize: Int?
    @Option(help: "Normalization mean R,G,B (default: the model's pretrained statistics; a mismatch is warned about).")
    var mean: String?
    @Option(help: "Normalization std R,G,B (default: the model's pretrained statistics).")
    var std: String?
    @Option(help: "Stop after this many epochs without validation improvement.")
    var patience: Int?
    @Flag(help: "Recompute the frozen backbone every head-only epoch instead of caching its features.")
    var noFeatureCache = false
    @Option(help: "What to do with an unreadable image: skip (warn and count) or error (stop).")
    var onBadImage: BadImagePolicy = .skip
    @Option(help: "Run directory for checkpoints and reports (default: runs/<model>-<time>).")
    var output: String?
    @Option(help: "Continue the run in this directory from its last checkpoint (its saved settings are used).")
    var resume: String?
    @Option(help: "YAML or JSON file with any of these flags (and phases).")
    var config: String?

    func validate() throws {
        if resume == nil && data == nil { throw ValidationError("--data is required (an ImageFolder directory, a CSV with --images, or fashion-mnist)") }
        if resume != nil && (data != nil || output != nil) { throw ValidationError("--resume continues a run with its saved data and settings; drop --data/--output") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1 (got \(threads))") }
    }

    func run() throws {
        if let threads { Engine.threads = threads }
        let run = try resume.map { try TrainingRun.resuming(URL(fileURLWithPath: $0)) } ?? TrainingRun.starting(self)
        try run.execute()
    }

    /// The settings these flags describe.
    func settings() throws -> FineTuneSettings {
        var s = FineTuneSettings()
        if let epochs { s.epochs = epochs }
        if let batchSize { s.batchSize = batchSize }
        if let lr { s.backboneLearningRate = lr }
        if let headLr { s.headLearningRate = headLr }
        if let layerDecay { s.layerDecay = layerDecay }
        if let optimizer { s.optimizer = optimizer }
        if let weightDecay { s.weightDecay = weightDecay }
        if let momentum { s.momentum = momentum }
        if let strategy { s.strategy = strategy }
        if let headEpochs { s.headEpochs = headEpochs }
        if let unfreezeDepth { s.unfreezeDepth = unfreezeDepth }
        if !phase.isEmpty { s.phases = try phase.map(PhaseArgument.parse) }
        if let schedule { s.schedule = schedule }
        if let warmupEpochs { s.warmupEpochs = warmupEpochs }
        if let labelSmoothing { s.labelSmoothing = labelSmoothing }
        if let classWeights { s.classWeighting = classWeights }
        if let seed { s.seed = seed }
        s.workers = workers
        s.imageSize = imageSize
        s.mean = try mean.map { try Self.triple($0, flag: "--mean") }
        s.std = try std.map { try Self.triple($0, flag: "--std") }
        s.patience = patience
        s.cacheFeatures = !noFeatureCache
        s.skipBadImages = onBadImage == .skip
        try s.validate()
        return s
    }

    static func triple(_ text: String, flag: String) throws -> [Double] {
        let values = text.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard values.count == 3 else { throw ValidationError("\(flag) needs three comma-separated numbers (R,G,B), got '\(text)'") }
        return values
    }
}

extension BadImagePolicy: ExpressibleByArgument {}

/// Parses `--phase at_epoch=2,unfreeze=layer4+layer3,lr=1e-4`.
enum PhaseArgument {
    static func parse(_ text: String) throws -> Phase {
        var fields: [String: String] = [:]
        for part in text.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2 else { throw ValidationError("--phase '\(text)': expected key=value pairs at_epoch=N,unfreeze=GROUP,lr=X") }
            fields[pair[0]] = pair[1]
        }
        guard let epoch = fields["at_epoch"].flatMap(Int.init), let groups = fields["unfreeze"], let lr = fields["lr"].flatMap(Double.init) else {
            throw ValidationError("--phase '\(text)': needs at_epoch (integer), unfreeze (group names joined by +) and lr (number)")
        }
        return Phase(atEpoch: epoch, unfreeze: groups.split(separator: "+").map(String.init), learningRate: lr)
    }
}
