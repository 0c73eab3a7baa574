import ArgumentParser
import Foundation
import GraftModels
import GraftTrain

/// `graft inspect`: a model's architecture, classifier, parameter counts, layer groups and pretrained config.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Print a model's architecture, classifier, parameter counts, layer groups and pretrained preprocessing.")

    @Option(help: "Architecture: \(Models.names.joined(separator: ", ")).")
    var model: String?
    @Option(help: "Pretrained weights to load and check (.pth or .safetensors).")
    var weights: String?
    @Option(help: "A Graft checkpoint or run directory (instead of --model).")
    var checkpoint: String?
    @Flag(help: "Leave out the architecture tree.")
    var summaryOnly = false

    func validate() throws {
        if (checkpoint == nil) == (model == nil) { throw ValidationError("pass either --model or --checkpoint") }
    }

    func run() throws {
        let classifier: ImageClassifier
        if let checkpoint {
            let loaded = try LoadedCheckpoint(contentsOf: URL(fileURLWithPath: checkpoint))
            classifier = try loaded.model()
            print("checkpoint: epoch \(loaded.metadata.progress.nextEpoch), classes \(loaded.metadata.classes.joined(separator: ", "))")
        } else if weights != nil {
            let pretrained = try PretrainedModel(model ?? "", weights: weights.map { URL(fileURLWithPath: $0) }, strict: true)
            pretrained.summary.forEach { print($0) }
            classifier = pretrained.model
        } else {
            classifier = try Models.make(model ?? "")
        }
        if !summaryOnly { print(classifier) }
        let head = classifier.classifier
        let config = classifier.pretrainedConfig
        print("classifier: \(config.classifierName) = Linear(in_features=\(head.inFeatures), out_features=\(head.outFeatures))")
        print("parameters: \(classifier.parameterCount()) total, \(classifier.parameterCount(trainableOnly: true)) trainable")
        print("layer groups (input → head):")
        for group in classifier.layerGroups {
            let count = classifier.parameters(in: group).reduce(0) { $0 + $1.1.count }
            print("  \(group.name.padding(toLength: 8, withPad: " ", startingAt: 0)) \(count) parameters  [\(group.prefixes.joined(separator: ", "))]")
        }
        print("pretrained preprocessing: input \(config.inputSize)×\(config.inputSize), resize shorter side to \(config.resizeSize), \(config.interpolation), mean \(config.mean), std \(config.std)")
    }
}
