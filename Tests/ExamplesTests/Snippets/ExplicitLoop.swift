import Foundation
import Graft

/// The fine-tuning tutorial's hand-written loop (FineTuningTutorial.md): MobileNetV2 with its ImageNet weights, a new
/// head, the backbone frozen, the head and the last stage trained as two parameter groups, cosine annealing, the
/// best checkpoint kept, and the stage before unfrozen half-way. Returns the best validation accuracy.
func fineTuneByHand(trainDirectory: String, validationDirectory: String, epochs: Int, bestCheckpoint: URL) throws -> Double {
    // snippet: load
    Engine.manualSeed(42)  // seeds the new head (and everything else drawn from libtorch's generator)
    let model = try Models.make("mobilenet_v2")
    guard let weights = OfflineAsset.weights(for: "mobilenet_v2") else { throw TrainingError.invalidConfiguration("run make setup") }
    let report = try model.load(stateDict: CheckpointReader.read(contentsOf: weights.location).tensors())
    print("loaded \(report.loaded) tensors from \(weights.location.lastPathComponent)")
    // snippet: end

    // snippet: data
    let train = try ImageFolder(root: trainDirectory)
    let validation = try ImageFolder(root: validationDirectory)
    let config = model.pretrainedConfig  // 224-pixel crops of 256-pixel resizes, ImageNet's mean and std
    let mean = config.mean.map(Float.init), std = config.std.map(Float.init)
    let trainLoader = try DataLoader(
        dataset: train, transform: .trainTransform(inputSize: 64, resizeSize: 73, mean: mean, std: std), batchSize: 32, seed: 42)
    let validationLoader = try DataLoader(
        dataset: validation, transform: .evalTransform(inputSize: 64, resizeSize: 73, mean: mean, std: std), batchSize: 64, shuffle: false)
    // snippet: end

    // snippet: head
    try model.replaceHead(numClasses: train.classes.count)  // a fresh Linear(1280, classes)
    try model.freeze()
    try model.classifier.unfreeze()
    let lastStage = try model.layerGroup(named: "stage6")
    try model.setTrainable(true, where: lastStage.contains)
    print(model.parameterSummary)
    // snippet: end

    // snippet: optimizer
    let optimizer = try Adam(groups: [
        ParameterGroup(name: "head", parameters: model.classifier.parameters(), learningRate: 1e-3, weightDecay: 1e-4),
        ParameterGroup(name: "stage6", parameters: model.parameters(in: lastStage).map(\.1), learningRate: 1e-4, weightDecay: 1e-4),
    ], decoupledWeightDecay: true)
    var scheduler = try LearningRateScheduler(
        schedule: .cosine(CosineAnnealingSchedule(tMax: epochs)), baseLearningRates: optimizer.groups.map(\.learningRate))
    // snippet: end

    // snippet: loop
    var bestAccuracy = 0.0
    for epoch in 0..<epochs {
        if epoch == epochs / 2 {
            // Progressive unfreezing: the stage before joins with half the last stage's rate, scaled like the others.
            let stage = try model.layerGroup(named: "stage5")
            try model.setTrainable(true, where: stage.contains)
            let group = try scheduler.addGroup(baseLearningRate: 5e-5)
            optimizer.addGroup(ParameterGroup(name: "stage5", parameters: model.parameters(in: stage).map(\.1),
                                              learningRate: try scheduler.learningRate(group: group), weightDecay: 1e-4))
        }

        model.trainUnfrozenParts()  // frozen BatchNorm layers keep their running statistics
        var training = ClassificationMetrics()
        for batch in trainLoader {
            let (images, labels) = try batch.tensors()
            let logits = try model(images)
            let loss = try logits.crossEntropy(targets: labels)
            try optimizer.zeroGrad()
            try loss.backward()
            try optimizer.step()
            try training.add(logits: logits.detached(), labels: labels, loss: loss.item())
        }

        model.eval()
        var validating = ClassificationMetrics(classCount: train.classes.count)
        try withNoGrad {
            for batch in validationLoader {
                let (images, labels) = try batch.tensors()
                let logits = try model(images)
                try validating.add(logits: logits, labels: labels, loss: logits.crossEntropy(targets: labels).item())
            }
        }

        if validating.accuracy > bestAccuracy {
            bestAccuracy = validating.accuracy
            try TorchPthWriter.write(StateDict(tensors: model.stateDict()), to: bestCheckpoint)  // loads in PyTorch too
        }
        try optimizer.setLearningRates(scheduler.step())
        print(String(format: "epoch %d: train loss %.4f accuracy %.3f | validation accuracy %.3f",
                     epoch + 1, training.meanLoss, training.accuracy, validating.accuracy))
    }
    // snippet: end
    return bestAccuracy
}
