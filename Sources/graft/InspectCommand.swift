import ArgumentParser
import Foundation
import GraftModels
import GraftText
import GraftTrain

/// `graft inspect`: a model's architecture, classifier, parameter counts, layer groups and pretrained config.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Print a model's architecture, classifier, parameter counts, layer groups and pretrained preprocessing or tokenizer.")

    @Option(help: "Architecture: \((Models.names + TextModels.names).joined(separator: ", ")).")
    var model: String?
    @Option(help: "Pretrained weights to load and check (.pth or .safetensors; for a text model, a Hugging Face BERT folder).")
    var weights: String?
    @Option(help: "A Graft checkpoint or run directory (instead of --model).")
    var checkpoint: String?
    @Flag(help: "Leave out the architecture tree.")
    var summaryOnly = false

    func validate() throws {
        if (checkpoint == nil) == (model == nil) { throw ValidationError("pass either --model or --checkpoint") }
    }

    func run() throws {
        let classifier: Classifier
        var textModel: (metadata: TextModelMetadata, tokenizer: BertTokenizer)?
        if let checkpoint {
            let loaded = try LoadedCheckpoint(contentsOf: URL(fileURLWithPath: checkpoint))
            classifier = try loaded.model()
            textModel = try loaded.metadata.text.map { ($0, try $0.tokenizer()) }
            print("checkpoint: epoch \(loaded.metadata.progress.nextEpoch), classes \(loaded.metadata.classes.joined(separator: ", "))")
        } else if let name = model, TextModels.contains(name) {
            let folder = try weights.map { URL(fileURLWithPath: $0) } ?? PretrainedTextModel.folder(for: name)
            let pretrained = try PretrainedTextModel(name, folder: folder, numClasses: 2)
            print("loaded \(pretrained.loadReport.loaded) pretrained tensors from \(pretrained.weights.path); the 2-class head shown is a placeholder that training replaces")
            classifier = pretrained.model
            textModel = (try TextModelMetadata(model: pretrained.model, maxLength: pretrained.maxLength, tokenizerFolder: folder),
                         pretrained.tokenizer)
        } else if weights != nil {
            let pretrained = try PretrainedModel(model ?? "", weights: weights.map { URL(fileURLWithPath: $0) }, strict: true)
            pretrained.summary.forEach { print($0) }
            classifier = pretrained.model
        } else {
            classifier = try Models.make(model ?? "")
        }
        if !summaryOnly { print(classifier) }
        let head = classifier.classifier
        let headName = (classifier as? ImageClassifier)?.pretrainedConfig.classifierName ?? "classifier"
        print("classifier: \(headName) = Linear(in_features=\(head.inFeatures), out_features=\(head.outFeatures))")
        print("parameters: \(classifier.parameterCount()) total, \(classifier.parameterCount(trainableOnly: true)) trainable")
        print("layer groups (input → head):")
        let nameWidth = max(10, classifier.layerGroups.map(\.name.count).max() ?? 0)
        for group in classifier.layerGroups {
            let count = classifier.parameters(in: group).reduce(0) { $0 + $1.1.count }
            print("  \(group.name.padding(toLength: nameWidth, withPad: " ", startingAt: 0)) \(count) parameters  [\(group.prefixes.joined(separator: ", "))]")
        }
        if let config = (classifier as? ImageClassifier)?.pretrainedConfig {
            print("pretrained preprocessing: input \(config.inputSize)×\(config.inputSize), resize shorter side to \(config.resizeSize), \(config.interpolation), mean \(config.mean), std \(config.std)")
        }
        if let (metadata, tokenizer) = textModel {
            let c = metadata.configuration
            print("encoder: \(c.numHiddenLayers) layers, hidden \(c.hiddenSize), \(c.numAttentionHeads) heads, intermediate \(c.intermediateSize), \(c.hiddenAct), \(c.maxPositionEmbeddings) positions, layer norm eps \(c.layerNormEps)")
            let n = tokenizer.normalization
            print("tokenizer: WordPiece, \(tokenizer.vocabularySize) ids, lowercase \(n.lowercase), strip accents \(n.stripAccents.map(String.init) ?? "as lowercase"), files \(metadata.tokenizerFiles.keys.sorted().joined(separator: ", "))")
            print("pooling: \(metadata.pooling.rawValue); at most \(metadata.maxLength) tokens per text")
        }
    }
}
