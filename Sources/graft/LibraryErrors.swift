import ArgumentParser
import GraftData
import GraftTrain

/// Library errors name settings in library terms (`headLearningRate`); on the command line they name the flag.
enum LibraryErrors {
    /// The flag that sets each `FineTuneSettings` / `DataSpec` / `PretrainedModel` / `TestTimeAugmentation` /
    /// `DistributedLaunch` setting.
    static let flags: [String: String] = [
        "epochs": "--epochs", "batchSize": "--batch-size", "headLearningRate": "--head-lr", "backboneLearningRate": "--lr",
        "layerDecay": "--layer-decay", "weightDecay": "--weight-decay", "labelSmoothing": "--label-smoothing",
        "warmupEpochs": "--warmup-epochs", "unfreezeDepth": "--unfreeze-depth", "headEpochs": "--head-epochs",
        "workers": "--workers", "imageSize": "--image-size", "patience": "--patience", "mean": "--mean", "std": "--std",
        "startRate": "--start-lr", "endRate": "--end-lr", "iterations": "--iterations",
        "validationSplit": "--val-split", "images": "--images", "weights": "--weights", "strategy": "--strategy",
        "mixup": "--mixup", "cutmix": "--cutmix", "ema": "--ema",
        "augmentation": "--augment", "flip": "--no-flip",
        "testTimeAugmentation": "--tta",
        "batchNorm": "--bn", "accumulateBatches": "--accumulate", "clipGradNorm": "--clip-grad-norm",
        "decayNormAndBias": "--decay-norm-bias",
        "textColumn": "--text-column", "labelColumn": "--label-column",
        "maxLength": "--max-length", "classes": "--classes",
        "processesPerNode": "--nproc-per-node", "nodeCount": "--nnodes", "nodeRank": "--node-rank",
        "masterAddress": "--master-addr", "masterPort": "--master-port", "groupTimeout": "--dist-timeout",
        "logEveryNSteps": "--log-every-n-steps",
    ]

    /// `text` with each backticked setting name (`` `batchSize` ``) replaced by its flag.
    static func flagged(_ text: String) -> String {
        flags.reduce(text) { $0.replacingOccurrences(of: "`\($1.key)`", with: $1.value) }
    }

    /// `error` with a setting's name replaced by its flag; other errors unchanged.
    static func mapped(_ error: Error) -> Error {
        if case DataError.missingColumn = error { return ValidationError(flagged(String(describing: error))) }
        guard case TrainingError.invalidSetting(let setting, let message) = error, let flag = flags[setting] else { return error }
        if message.hasPrefix(setting + " ") { return ValidationError(flagged(flag + message.dropFirst(setting.count))) }
        return ValidationError("\(flagged(message)) [\(flag)]")
    }
}
