import GraftModels
import GraftNN

/// The classic ways to ruin transfer learning, detected before the first epoch, each with the fix in terms of
/// `FineTuneSettings` properties (written in backticks, so a front end can name its own flag instead).
enum PitfallGuards {
    static func warnings(settings: FineTuneSettings, phases: [Phase], model: Classifier) -> [String] {
        var warnings: [String] = []
        let head = model.layerGroups.last?.name ?? "head"
        let backbonePhases = phases.filter { !$0.unfreeze.allSatisfy { $0 == head } }
        if let hot = backbonePhases.first(where: { $0.learningRate > 1e-3 }) {
            warnings.append("pretrained layers \(hot.unfreeze.joined(separator: ", ")) train at lr \(hot.learningRate) (> 1e-3): large updates destroy pretrained features; set `backboneLearningRate` to 3e-4 or lower")
        }
        let groupsWithBatchNorm = Set(model.layerGroups.filter { group in
            model.namedModules().contains { name, module in module is BatchNorm2d && group.contains(name + ".weight") }
        }.map(\.name))
        let unfrozenBatchNorm = backbonePhases.flatMap(\.unfreeze).contains { groupsWithBatchNorm.contains($0) }
        if settings.batchSize < 8 && unfrozenBatchNorm && settings.batchNorm == .train {
            warnings.append("batch size \(settings.batchSize) is below 8 while BatchNorm layers train: their batch statistics are too noisy; set `batchSize` to 16 or more, set `batchNorm` to frozen, or keep those groups frozen")
        }
        let backboneGroups = model.layerGroups.count - 1
        let unfrozenAtStart = Set(phases.filter { $0.atEpoch == 0 }.flatMap(\.unfreeze)).subtracting([head])
        if backboneGroups > 0 && unfrozenAtStart.count == backboneGroups
            && phases.contains(where: { $0.atEpoch == 0 && $0.learningRate >= 1e-3 && !$0.unfreeze.contains(head) }) {
            warnings.append("every layer trains from epoch 0 with a high learning rate: the random head's large early gradients wreck the backbone; set `strategy` to progressive or lower `backboneLearningRate`")
        }
        guard let config = (model as? ImageClassifier)?.pretrainedConfig else { return warnings }
        if let mean = settings.mean, zip(mean, config.mean).contains(where: { Swift.abs($0 - $1) > 1e-4 }) {
            warnings.append("normalization mean \(mean) differs from \(model.name)'s pretrained mean \(config.mean): inputs will not look like what the model learned from; leave `mean` unset unless the checkpoint really used it")
        }
        if let std = settings.std, zip(std, config.std).contains(where: { Swift.abs($0 - $1) > 1e-4 }) {
            warnings.append("normalization std \(std) differs from \(model.name)'s pretrained std \(config.std); leave `std` unset unless the checkpoint really used it")
        }
        return warnings
    }
}
