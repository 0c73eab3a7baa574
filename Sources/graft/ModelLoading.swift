import ArgumentParser
import Foundation
import GraftIO
import GraftModels
import GraftNN
import GraftTensor
import GraftTrain

/// Building a pretrained model from the command line's `--model` and `--weights`.
enum ModelLoading {
    /// The offline pretrained file for a model, when `make setup` fetched one.
    static func defaultWeights(for model: String) -> URL? {
        let assets: [String: String] = [
            "mobilenet_v2": OfflineAsset.all[0].relativePath,
            "efficientnet_lite0": OfflineAsset.all[1].relativePath,
        ]
        guard let path = assets[model] else { return nil }
        let url = OfflineAsset.directory.appendingPathComponent(path)
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    /// The model with pretrained weights (from `weights`, else the offline asset), its head replaced for
    /// `numClasses` when that differs from the checkpoint's. Reports what was loaded through `say`.
    static func pretrained(
        _ name: String, weights: String?, fromScratch: Bool, numClasses: Int?, say: (String) -> Void
    ) throws -> ImageClassifier {
        let model = try Models.make(name)
        if fromScratch {
            say("warning: training \(model.name) from random initialisation (no pretrained weights)")
        } else {
            guard let url = weights.map({ URL(fileURLWithPath: $0) }) ?? defaultWeights(for: model.name) else {
                throw ValidationError("no pretrained weights for \(model.name): pass --weights FILE (a torchvision .pth or safetensors state dict), or --from-scratch")
            }
            let stateDict = try CheckpointReader.read(contentsOf: url).tensors()
            let report = try model.load(stateDict: stateDict, strict: false)
            let classifier = model.pretrainedConfig.classifierName
            let problems = report.missing.filter { !$0.hasPrefix(classifier + ".") } + report.unexpected
                + report.shapeMismatches.map(\.name).filter { !$0.hasPrefix(classifier + ".") }
            guard problems.isEmpty else {
                throw ValidationError("\(url.path) does not fit \(model.name):\n\(report)")
            }
            say("loaded \(report.loaded) pretrained tensors from \(url.lastPathComponent)")
        }
        if let numClasses, numClasses != model.classifier.outFeatures {
            try model.replaceHead(numClasses: numClasses)
            say("new head: Linear(\(model.classifier.inFeatures) → \(numClasses)) for your classes")
        }
        return model
    }
}
