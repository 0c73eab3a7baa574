import Foundation
import Graft

// snippet: model
/// A small convolutional network for 32-pixel images: two backbone stages and a linear head.
final class TinyConvNet: ImageClassifier {
    let stem: Sequential
    let block: Sequential

    init(numClasses: Int = 10) throws {
        stem = Sequential([try Conv2d(3, 16, kernelSize: 3, stride: 2, padding: 1, bias: false), try BatchNorm2d(16), ReLU()])
        block = Sequential([try Conv2d(16, 32, kernelSize: 3, stride: 2, padding: 1, bias: false), try BatchNorm2d(32), ReLU()])
        // How images must be prepared for this network, and the state-dict name of its classifier.
        let config = PretrainedConfig(inputSize: 32, resizeSize: 36, classifierName: "fc", numClasses: numClasses)
        super.init(name: "tiny_convnet", pretrainedConfig: config, classifier: try Linear(32, numClasses))
    }

    override var typeName: String { "TinyConvNet" }

    /// The children under their state-dict names (`stem.0.weight`, …, `fc.bias`); `classifier` is read here, so a new
    /// head from `replaceHead(numClasses:)` is picked up.
    override var namedChildren: [(String, Module)] { [("stem", stem), ("block", block), ("fc", classifier)] }

    /// One group per stage, then the head: what freezes, unfreezes and gets a learning rate together.
    override var layerGroups: [LayerGroup] {
        [LayerGroup("stem", ["stem"]), LayerGroup("block", ["block"]), LayerGroup("head", ["fc"])]
    }

    /// Stage `index` runs the modules of layer group `index`; pooling and the head come after the last stage.
    override func stage(_ index: Int, _ input: Tensor) throws -> Tensor {
        try [stem, block][index](input)
    }
}
// snippet: end

/// AddingAModel.md's two uses of `TinyConvNet`: trained from scratch with the explicit parts (all of it trains,
/// one parameter group), and fine-tuned from saved weights through the settings (head first, then `block`).
enum TinyConvNetUses {
    /// Trains a new network on `data` for `epochs` and saves its weights to `weights`.
    static func trainFromScratch(data: TrainingData, epochs: Int, weights: URL) throws -> Learner {
        // snippet: scratch
        Engine.manualSeed(0)
        let model = try TinyConvNet(numClasses: data.train.classes.count)
        let optimizer = try Adam(groups: [ParameterGroup(name: "all", parameters: model.parameters(), learningRate: 3e-3)])
        let learner = try Learner(
            model: model,
            trainLoader: DataLoader(dataset: data.train, transform: data.trainTransform, batchSize: 32, seed: 0),
            validationLoader: DataLoader(dataset: data.validation, transform: data.evalTransform, batchSize: 64, shuffle: false),
            optimizer: optimizer, schedule: .cosine(CosineAnnealingSchedule(tMax: epochs)), epochs: epochs)
        try learner.fit()
        try SafetensorsWriter.write(StateDict(tensors: model.stateDict()), to: weights)
        // snippet: end
        return learner
    }

    /// Registers `TinyConvNet` under `tiny_convnet` (once per process).
    static func register() throws {
        guard Models.architecture(named: "tiny_convnet") == nil else { return }
        // snippet: register
        try Models.register(Architecture("tiny_convnet") { numClasses in try TinyConvNet(numClasses: numClasses) })
        // snippet: end
    }

    /// Builds the registered `tiny_convnet` by name with `weights` and fine-tunes it on `spec`'s data, keeping its
    /// checkpoints in `run`.
    static func fineTune(weights: URL, spec: DataSpec, epochs: Int, run: URL) throws -> Learner {
        try register()
        // snippet: finetune
        var settings = FineTuneSettings(strategy: .progressive)  // the head first, then `block` at a tenth of its rate
        settings.epochs = epochs
        settings.headLearningRate = 1e-2  // a 32-feature head learns slowly at the 1e-3 that suits 1,280 ImageNet features
        settings.backboneLearningRate = 1e-3

        Engine.manualSeed(settings.seed)
        var pretrained = try PretrainedModel("tiny_convnet", weights: weights)  // built by name, weights loaded by name
        print(pretrained.summary.joined(separator: "\n"))
        let data = try spec.load(config: pretrained.model.pretrainedConfig, settings: settings)
        try pretrained.replaceHead(numClasses: data.train.classes.count, seed: settings.seed)

        let store = try RunStore(directory: run, data: spec)
        let learner = try Learner(model: pretrained.model, data: data, settings: settings,
                                  callbacks: [ProgressCallback(), CheckpointCallback(store: store)])
        try learner.fit()
        // snippet: end
        return learner
    }
}
