import ArgumentParser
import Foundation
import GraftData
import GraftDistributed
import GraftModels
import GraftReport
import GraftTensor
import GraftTrain

extension FineTuneSettings.Strategy: ExpressibleByArgument {}
extension FineTuneSettings.OptimizerKind: ExpressibleByArgument {}
extension FineTuneSettings.ScheduleKind: ExpressibleByArgument {}
extension FineTuneSettings.ClassWeighting: ExpressibleByArgument {}
extension AugmentationPreset: ExpressibleByArgument {}
extension FineTuneSettings.BatchNormPolicy: ExpressibleByArgument {}

/// `graft train`: fine-tune a pretrained model on labelled images or texts.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Fine-tune a pretrained model on your labelled images or texts.",
        discussion: """
        By default (--strategy auto) a small run — at most 2,000 full-size image passes: images × epochs × the share of \
        the pretrained input's pixels — fine-tunes the whole network, earlier layers at smaller learning rates (full); a \
        larger run or a text run trains the new head first, then unfreezes the last stage (progressive). It validates \
        every epoch, keeps checkpoints/best.safetensors and checkpoints/last.safetensors, and writes the \
        classification report, confusion matrix, learning curves and report.html into the run directory, with metrics.csv \
        (PyTorch Lightning's CSV layout) and TensorBoard event files in RUN/tensorboard (tensorboard --logdir runs/) as \
        it goes.
        Any flag can also be given in a YAML or JSON --config file (keys are flag names without the leading dashes, \
        `-` or `_`; flags on the command line win), which may also hold `phases:` as a list of {at_epoch, unfreeze, lr}. \
        --resume RUN continues a run; with --epochs N it extends a finished run to N epochs. \
        A text architecture (\(TextModels.names.joined(separator: ", "))) makes it a text run: --data is then a CSV, TSV or \
        JSON-lines file of texts and labels, or a folder of .txt files per class.
        --nproc-per-node N starts N worker processes of this same command (each line prefixed with its rank) and only \
        supervises them; with --nnodes M run the command on every node with its --node-rank and node 0's --master-addr. \
        Under torchrun or a scheduler that sets RANK, WORLD_SIZE, MASTER_ADDR and MASTER_PORT, graft train is one worker.
        """)

    @OptionGroup var options: TrainOptions
    @OptionGroup(title: "Distributed training (torchrun's flags)") var launch: LaunchOptions

    /// Trains in this process (alone, or as the worker its environment describes), or launches this node's workers.
    func run() throws {
        let configuration = try options.configuration()
        // The logging values are checked before any data loads (and once, by a launcher, for all its workers).
        _ = try configuration.tensorBoardLogger(runDirectory: URL(fileURLWithPath: "."))
        let settings = launch.settings(over: configuration)
        switch try settings.role() {
        case .single: try train(configuration, worker: nil)
        case .worker(let worker): try train(configuration, worker: worker, groupTimeout: settings.effectiveGroupTimeout)
        case .launcher(let plan):
            // Settings are checked once here, not once per worker.
            if options.resume == nil { _ = try configuration.settings() }
            let ranks = "\(plan.rank(localRank: 0))…\(plan.rank(localRank: plan.processesPerNode - 1))"
            Console.line("launching \(plan.processesPerNode) workers (ranks \(ranks) of \(plan.worldSize)), store at "
                + "\(HostAddress.withPort(plan.masterAddress, plan.masterPort)); each line is prefixed with its worker's rank")
            try WorkerLauncher(plan: plan, arguments: Array(CommandLine.arguments.dropFirst())).run()
        }
    }

    /// Trains in this process; `worker` is its place in a distributed run (nil when alone), whose process group it
    /// joins with `groupTimeout`.
    func train(_ configuration: TrainConfiguration, worker: DistributedEnvironment?, groupTimeout: TimeInterval = ProcessGroup.defaultTimeout) throws {
        if let threads = configuration.threads { Engine.threads = threads }
        let run = try options.resume.map {
            try TrainingRun.resuming(URL(fileURLWithPath: $0), configuration: configuration, device: configuration.trainingDevice(), worker: worker)
        } ?? TrainingRun.starting(configuration, worker: worker)
        try run.execute(groupTimeout: groupTimeout)
    }
}

/// The flags of `graft train` (data, model, training settings, run directory, resume, config file), shared with
/// `graft lr-find`.
struct TrainOptions: ParsableArguments {
    @Option(help: "Training data: an ImageFolder directory (one sub-folder per class), a CSV/TSV of filename,label (with --images), or 'fashion-mnist'; for a text model a CSV/TSV/JSON-lines file of texts and labels, or a folder of .txt files per class.")
    var data: String?
    @Option(help: "Directory holding the images named in a CSV/TSV --data file.")
    var images: String?
    @Option(name: .customLong("val"), help: "Separate validation ImageFolder or CSV (default: hold out --val-split of --data).")
    var validation: String?
    @Option(help: "Fraction of --data held out for validation when --val is not given (default 0.2).")
    var valSplit: Double?
    @Option(help: "Use a stratified subset of at most this many training images.")
    var trainLimit: Int?
    @Option(help: "Use a stratified subset of at most this many validation images.")
    var valLimit: Int?
    @Option(help: "Architecture: \(Models.names.joined(separator: ", ")) (default efficientnet_lite0); text: \(TextModels.names.joined(separator: ", ")).")
    var model: String?
    @Option(help: "Pretrained weights (.pth or .safetensors state dict; for a text model a Hugging Face BERT folder); default: the offline asset for the model, if installed.")
    var weights: String?
    @Flag(help: "Start from random weights instead of a pretrained checkpoint.")
    var fromScratch = false
    @Option(help: "Number of epochs (with --resume: extend the run to this many).")
    var epochs: Int?
    @Option(help: "Images per batch.")
    var batchSize: Int?
    @Option(help: "Learning rate of the deepest unfrozen backbone group (earlier groups get --layer-decay times the next), or auto: found by the learning-rate finder when the first backbone group is unfrozen.")
    var lr: LearningRateArgument?
    @Option(help: "Learning rate of the new classifier head, or auto: found by the learning-rate finder (on cached features) before training.")
    var headLr: LearningRateArgument?
    @Option(help: "Factor between learning rates of consecutive backbone groups.")
    var layerDecay: Double?
    @Option(help: "Optimizer: sgd, adam, adamw.")
    var optimizer: FineTuneSettings.OptimizerKind?
    @Option(help: "Weight decay (decoupled for adamw).")
    var weightDecay: Double?
    @Option(help: "SGD momentum (Nesterov when > 0).")
    var momentum: Double?
    @Option(help: "What trains when: head (backbone frozen), full (all, discriminative lrs), progressive (head, then deeper groups), auto (full for small runs, else progressive; the default).")
    var strategy: FineTuneSettings.Strategy?
    @Option(help: "Progressive: epochs of head-only training before the first unfreeze (default: a third of the run); without --strategy it selects progressive.")
    var headEpochs: Int?
    @Option(help: "Progressive: how many backbone groups to unfreeze, deepest first (default 1); without --strategy it selects progressive.")
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
    @Option(help: "Training augmentation: none (resize + centre crop), light (resize + random crop), standard (random resized crop + TrivialAugmentWide), strong (random resized crop + RandAugment + random erasing). Default light.")
    var augment: AugmentationPreset?
    @Flag(help: "Never mirror training images left-right (for text, digits or left/right classes).")
    var noFlip = false
    @Option(name: .customLong("bn"), help: "BatchNorm of trained pretrained groups: frozen (running statistics fixed, affine weights train) or train (batch statistics, updated).")
    var batchNorm: FineTuneSettings.BatchNormPolicy?
    @Option(help: "Add up the gradients of this many batches before each optimizer step (an N times larger effective batch).")
    var accumulate: Int?
    @Option(help: "Clip the global L2 norm of the gradient to this value before each optimizer step.")
    var clipGradNorm: Double?
    @Flag(help: "Apply weight decay to norm weights and biases too (by default they are exempt).")
    var decayNormBias = false
    @Flag(help: "Recompute the frozen backbone every head-only epoch instead of caching its features.")
    var noFeatureCache = false
    @Option(help: "Mixup alpha: blend each training batch with its reverse, λ ~ Beta(A, A) (timm; typically 0.2–0.8; default 0 = off).")
    var mixup: Double?
    @Option(help: "CutMix alpha: paste a box from the reversed batch, λ ~ Beta(A, A) (timm; typically 1.0; default 0 = off). With --mixup, each batch uses one of the two.")
    var cutmix: Double?
    @Option(help: "Keep an exponential moving average of the weights with this decay (0 < DECAY < 1, typically 0.999); validation and the best checkpoint use it.")
    var ema: Double?
    @Option(help: "Text datasets (CSV, TSV, JSON lines): the column holding the texts (default text).")
    var textColumn: String?
    @Option(help: "Text datasets (CSV, TSV, JSON lines): the column holding the labels (default label).")
    var labelColumn: String?
    @Option(help: "Text data: train only on rows with these labels, comma-separated (others are left out and counted).")
    var classes: String?
    @Option(help: "Text models: most tokens per text, [CLS] and [SEP] included; longer texts are truncated and counted (default 128).")
    var maxLength: Int?
    @Option(help: "What to do with an unreadable image: skip (warn and count) or error (stop).")
    var onBadImage: BadImagePolicy?
    @Option(help: "Where to train: cpu, cuda or cuda:N (CUDA needs a CUDA build of libtorch).")
    var device: String?
    @Option(help: "Precision of the forward passes: fp32 (default), or automatic mixed precision in bf16 (CPU and CUDA) or fp16 (CUDA, with loss scaling); weights and checkpoints stay fp32.")
    var precision: Precision?
    @Option(help: "Run directory for checkpoints and reports (default: runs/<model>-<time>).")
    var output: String?
    @Option(help: "Folder for the TensorBoard event files (default: RUN/tensorboard; view with tensorboard --logdir runs/).")
    var tensorboard: String?
    @Flag(help: "Write no TensorBoard event files.")
    var noTensorboard = false
    @Option(help: "Log the training loss to TensorBoard every N training batches (default 50).")
    var logEveryNSteps: Int?
    @Option(help: "Continue the run in this directory from its last checkpoint with its saved settings (only --epochs may change: it extends the run).")
    var resume: String?
    @Option(help: "YAML or JSON file with any of these flags by name (and phases:); flags on the command line win.")
    var config: String?

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1 (got \(threads))") }
        guard resume != nil else { return }
        let given = try flagConfiguration()
        var onlyEpochs = TrainConfiguration()
        onlyEpochs.epochs = given.epochs
        onlyEpochs.threads = given.threads
        onlyEpochs.device = given.device
        onlyEpochs.precision = given.precision
        onlyEpochs.tensorboard = given.tensorboard
        onlyEpochs.noTensorboard = given.noTensorboard
        onlyEpochs.logEveryNSteps = given.logEveryNSteps
        if config != nil || given != onlyEpochs {
            throw ValidationError("--resume continues a run with its saved data and settings; only --epochs (to extend it), --threads, --device, --precision and the TensorBoard flags (--tensorboard, --no-tensorboard, --log-every-n-steps) may be given")
        }
    }

    /// The config file's values overlaid by the flags given on the command line.
    func configuration() throws -> TrainConfiguration {
        let file = try config.map(TrainConfiguration.load) ?? TrainConfiguration()
        let merged = try file.overlaid(by: flagConfiguration())
        if resume == nil && merged.data == nil {
            throw ValidationError("--data is required (an ImageFolder directory, a CSV with --images, or fashion-mnist)")
        }
        return merged
    }

    /// Only the flags given on the command line (nil for the others).
    func flagConfiguration() throws -> TrainConfiguration {
        var c = TrainConfiguration()
        c.data = data
        c.images = images
        c.val = validation
        c.valSplit = valSplit
        c.trainLimit = trainLimit
        c.valLimit = valLimit
        c.model = model
        c.weights = weights
        c.fromScratch = fromScratch ? true : nil
        c.epochs = epochs
        c.batchSize = batchSize
        c.lr = lr
        c.headLr = headLr
        c.layerDecay = layerDecay
        c.optimizer = optimizer
        c.weightDecay = weightDecay
        c.momentum = momentum
        c.strategy = strategy
        c.headEpochs = headEpochs
        c.unfreezeDepth = unfreezeDepth
        c.phases = phase.isEmpty ? nil : try phase.map(PhaseArgument.parse)
        c.schedule = schedule
        c.warmupEpochs = warmupEpochs
        c.labelSmoothing = labelSmoothing
        c.classWeights = classWeights
        c.seed = seed
        c.workers = workers
        c.threads = threads
        c.imageSize = imageSize
        c.mean = try mean.map { try Self.triple($0, flag: "--mean") }
        c.std = try std.map { try Self.triple($0, flag: "--std") }
        c.patience = patience
        c.augment = augment
        c.noFlip = noFlip ? true : nil
        c.bn = batchNorm
        c.accumulate = accumulate
        c.clipGradNorm = clipGradNorm
        c.decayNormBias = decayNormBias ? true : nil
        c.noFeatureCache = noFeatureCache ? true : nil
        c.mixup = mixup
        c.cutmix = cutmix
        c.ema = ema
        c.textColumn = textColumn
        c.labelColumn = labelColumn
        c.onBadImage = onBadImage?.rawValue
        c.output = output
        c.tensorboard = tensorboard
        c.noTensorboard = noTensorboard ? true : nil
        c.logEveryNSteps = logEveryNSteps
        c.device = device
        c.precision = precision?.rawValue
        c.maxLength = maxLength
        c.classes = classes.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        return c
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
