import ArgumentParser
import Foundation
import GraftData
import GraftModels
import GraftTensor
import GraftTrain

/// `learner`: an epoch (train + validate) through the training object against the same epoch written as the seed
/// tutorial's explicit loop, on the same data, model and optimizer groups, alternating in one process.
struct LearnerCase: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "learner", abstract: "Time a Learner epoch against the hand-written tutorial loop (ratio ≈ 1 means no overhead).")

    @OptionGroup var common: CommonOptions
    @Option(help: "Registry model name.")
    var model = "efficientnet_lite0"
    @Option(help: "Image size in pixels.")
    var size = 64
    @Option(help: "Fashion-MNIST training images.")
    var trainImages = 2000
    @Option(help: "Fashion-MNIST validation images.")
    var valImages = 500

    func run() throws {
        common.configureEngine()
        var settings = FineTuneSettings()
        settings.imageSize = size
        let network = try Models.make(model, numClasses: 10)
        common.configure(network)
        let data = try DataSpec(source: "fashion-mnist", trainLimit: trainImages, validationLimit: valImages)
            .load(config: network.pretrainedConfig, settings: settings)
        let train = try DataLoader(dataset: data.train, transform: data.trainTransform, batchSize: common.batch, seed: common.seed)
        let validation = try DataLoader(dataset: data.validation, transform: data.evalTransform, batchSize: common.batch, shuffle: false)
        let groups = network.layerGroups.map(\.name)
        try network.freeze()
        let optimizer = try Adam(groups: [])
        for (name, rate) in [(groups[groups.count - 2], 1e-4), ("head", 1e-3)] {
            let parameters = network.parameters(in: try network.layerGroup(named: name)).map(\.1)
            for parameter in parameters { try parameter.requiresGrad_(true) }
            optimizer.addGroup(ParameterGroup(name: name, parameters: parameters, learningRate: rate))
        }
        let learner = try Learner(model: network, trainLoader: train, validationLoader: validation, optimizer: optimizer,
                                  epochs: Int.max, cacheFeatures: false)
        var epoch = 0
        var hand: [Measurement.Run] = [], object: [Measurement.Run] = []
        // The two alternate, and which goes first alternates too (ABBA), so neither gains from the other's warm-up.
        for index in 0..<(common.warmup + common.repeats) {
            let timed = index >= common.warmup
            for handFirst in [index % 2 == 0, index % 2 != 0] {
                if handFirst {
                    let loop = try Measurement.runs(warmup: 0, repeats: 1) { try HandWrittenLoop.epoch(network, optimizer, train, validation, epoch) }
                    epoch += 1
                    if timed { hand += loop }
                } else {
                    let fit = try Measurement.runs(warmup: 0, repeats: 1) {
                        learner.epochs = learner.runProgress.nextEpoch + 1
                        try learner.fit()
                    }
                    if timed { object += fit }
                }
            }
        }
        let handMedian = Measurement.median(hand.map(\.wall)), learnerMedian = Measurement.median(object.map(\.wall))
        var line = ResultLine(benchmark: "learner", parameters: ["model": model, "size": size, "train_images": data.train.count,
                                                                 "val_images": data.validation.count], runs: object,
                              imagesPerRepetition: data.train.count)
        line.parameters["hand_loop_s"] = hand.map(\.wall)
        line.parameters["hand_loop_median_s"] = handMedian
        line.parameters["learner_over_hand_loop"] = learnerMedian / handMedian
        print(try line.json())
    }
}

/// The seed tutorial's `train_epoch` and `validate`: forward, loss, backward and step per batch; then evaluation.
enum HandWrittenLoop {
    static func epoch(_ model: ImageClassifier, _ optimizer: Adam, _ train: DataLoader<AnyImageDataset>,
                      _ validation: DataLoader<AnyImageDataset>, _ epoch: Int) throws {
        model.trainUnfrozenParts()
        var trainMetrics = ClassificationMetrics()
        let batches = train.batches(epoch: epoch)
        while let batch = try batches.next() {
            let (images, labels) = try batch.tensors()
            let logits = try model(images)
            let loss = try logits.crossEntropy(targets: labels)
            try optimizer.zeroGrad()
            try loss.backward()
            try optimizer.step()
            try trainMetrics.add(logits: logits.detached(), labels: labels, loss: try loss.item())
        }
        model.eval()
        var validationMetrics = ClassificationMetrics(classCount: model.classifier.outFeatures)
        let validationBatches = validation.batches(epoch: 0)
        try withNoGrad {
            while let (images, labels) = try validationBatches.next()?.tensors() {
                let logits = try model(images)
                try validationMetrics.add(logits: logits, labels: labels, loss: try logits.crossEntropy(targets: labels).item())
            }
        }
    }
}
