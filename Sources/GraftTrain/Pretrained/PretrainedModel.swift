import Foundation
import GraftIO
import GraftModels
import GraftNN
import GraftTensor

/// A model built by name with pretrained weights and, when asked, a new head: the first step of fine-tuning.
public struct PretrainedModel {
    /// The network, ready to fine-tune.
    public let model: ImageClassifier
    /// The weights file used (nil when built from random initialisation).
    public let weights: URL?
    /// What matched between the file and the architecture.
    public let loadReport: LoadReport?
    /// The pretrained head's (in, out) features when it was replaced for `numClasses`.
    public private(set) var replacedHead: (inFeatures: Int, outFeatures: Int)?

    /// Builds `architecture` (e.g. `efficientnet_lite0`, see `Models.names`), loads `weights` (a torchvision or
    /// lukemelas `.pth`, or a safetensors state dict; nil: the installed offline asset for the architecture) and,
    /// when `numClasses` differs from the checkpoint's head, replaces the head with a fresh seeded `Linear`.
    /// With `strict`, every tensor must match by name and shape, the classifier's too: for using the model as it is
    /// (predicting), where a head left at random initialisation would give confident nonsense. Otherwise only the
    /// classifier may differ (its weights are then dropped). Anything that does not fit is an error listing each mismatch.
    public init(_ architecture: String, weights: URL? = nil, numClasses: Int? = nil, strict: Bool = false) throws {
        let model = try Models.make(architecture)
        guard let url = weights ?? OfflineAsset.weights(for: model.name)?.location else {
            throw TrainingError.invalidSetting(
                "weights", "no pretrained weights for \(model.name): give a weights file (a torchvision .pth or a safetensors state dict), or install the offline asset with `make setup`")
        }
        let stateDict = model.renamingLegacyKeys(try CheckpointReader.read(contentsOf: url).tensors())
        let report = try model.load(stateDict: stateDict, strict: false)
        try Self.requireFit(report, model: model, weights: url, strict: strict)
        try self.init(model: model, weights: url, loadReport: report, numClasses: numClasses)
    }

    /// Throws naming every tensor of `report` that did not load, except the classifier's unless `strict`.
    private static func requireFit(_ report: LoadReport, model: ImageClassifier, weights url: URL, strict: Bool) throws {
        let classifier = model.pretrainedConfig.classifierName + "."
        let mustFit = { (name: String) in strict || !name.hasPrefix(classifier) }
        let problems = report.missing.filter(mustFit).map { "\($0): missing from the checkpoint" }
            + report.unexpected.map { "\($0): not in the model" }
            + report.shapeMismatches.filter { mustFit($0.name) }.map { "\($0.name): model \($0.expected), checkpoint \($0.found)" }
        guard !problems.isEmpty else { return }
        let rule = strict ? "\nused as it is, without a new head, the model needs the classifier's weights too" : ""
        throw TrainingError.invalidSetting(
            "weights", "\(url.path) does not fit \(model.name):\n  " + problems.joined(separator: "\n  ") + rule)
    }

    /// `architecture` from random initialisation (seeded by `Engine.manualSeed`), with `numClasses` outputs.
    public static func fromScratch(_ architecture: String, numClasses: Int? = nil) throws -> PretrainedModel {
        try PretrainedModel(model: try Models.make(architecture), weights: nil, loadReport: nil, numClasses: numClasses)
    }

    private init(model: ImageClassifier, weights: URL?, loadReport: LoadReport?, numClasses: Int?) throws {
        self.model = model
        self.weights = weights
        self.loadReport = loadReport
        if let numClasses { try replaceHead(numClasses: numClasses) }
    }

    /// Replaces the head with a fresh `Linear` for `numClasses` outputs, unless it already has that many. Its
    /// initialisation comes from `seed` (e.g. `FineTuneSettings.seed`), or from the engine's generator when nil.
    public mutating func replaceHead(numClasses: Int, seed: UInt64? = nil) throws {
        let head = (model.classifier.inFeatures, model.classifier.outFeatures)
        guard numClasses != head.1 else { return }
        if let seed { Engine.manualSeed(seed) }
        try model.replaceHead(numClasses: numClasses)
        replacedHead = replacedHead ?? head
    }

    /// What happened, one line each, e.g. `loaded 314 pretrained tensors from mobilenet_v2-b0353104.pth`.
    public var summary: [String] {
        var lines: [String] = []
        if let weights, let loadReport {
            lines.append("loaded \(loadReport.loaded) pretrained tensors from \(weights.lastPathComponent)")
        } else {
            lines.append("warning: training \(model.name) from random initialisation (no pretrained weights)")
        }
        if replacedHead != nil {
            lines.append("new head: Linear(\(model.classifier.inFeatures) → \(model.classifier.outFeatures)) for your classes")
        }
        return lines
    }
}
