// The classic PyTorch fine-tuning tutorial, step by step in Swift with an explicit loop (no training object):
// load pretrained weights, replace the head, freeze all but the last stage and the head, Adam with two parameter
// groups, train_epoch / validate, save the best checkpoint as the tutorial's .pth dict, report, then progressive
// unfreezing of the next stage with add_param_group and cosine annealing.
//
//   seed-tutorial --train DIR --val DIR --model NAME --weights FILE --epochs N --image-size S --output FILE.pth
import ArgumentParser
import Foundation
import Graft

/// `train_epoch`: one pass with gradient steps; returns (mean loss, accuracy).
func trainEpoch(_ model: ImageClassifier, _ loader: DataLoader<AnyImageDataset>, _ optimizer: Adam) throws -> (Double, Double) {
    model.trainUnfrozenParts()  // model.train(), but frozen layers stay in evaluation mode (fixed BatchNorm statistics)
    var metrics = ClassificationMetrics()
    for batch in loader {
        let (inputs, labels) = try batch.tensors()
        try optimizer.zeroGrad()
        let outputs = try model(inputs)
        let loss = try outputs.crossEntropy(targets: labels)
        try loss.backward()
        try optimizer.step()
        try metrics.add(logits: outputs.detached(), labels: labels, loss: try loss.item())
    }
    return (metrics.meanLoss, metrics.accuracy)
}

/// `validate`: evaluation mode, no gradients; returns the metrics with the confusion matrix.
func validate(_ model: ImageClassifier, _ loader: DataLoader<AnyImageDataset>, classes: Int) throws -> ClassificationMetrics {
    model.eval()
    var metrics = ClassificationMetrics(classCount: classes)
    try withNoGrad {
        for batch in loader {
            let (inputs, labels) = try batch.tensors()
            let outputs = try model(inputs)
            try metrics.add(logits: outputs, labels: labels, loss: try outputs.crossEntropy(targets: labels).item())
        }
    }
    return metrics
}

/// The tutorial's parameter group for one layer group: its parameters start training at `lr`.
func group(_ model: ImageClassifier, _ name: String, lr: Double) throws -> ParameterGroup {
    let parameters = model.parameters(in: try model.layerGroup(named: name)).map(\.1)
    for parameter in parameters { try parameter.requiresGrad_(true) }
    return ParameterGroup(name: name, parameters: parameters, learningRate: lr)
}

struct SeedTutorial: ParsableCommand {
    @Option(help: "Training ImageFolder (one sub-folder per class).") var train: String
    @Option(help: "Validation ImageFolder with the same classes.") var val: String
    @Option(help: "Architecture, e.g. efficientnet_lite0, mobilenet_v2, resnet50.") var model: String
    @Option(help: "Pretrained weights (.pth or .safetensors).") var weights: String
    @Option(help: "Epochs in all (the last third after unfreezing the next stage).") var epochs = 3
    @Option(help: "Network input size in pixels.") var imageSize = 224
    @Option(help: "Where the best checkpoint goes (PyTorch .pth).") var output: String

    func run() throws { try fineTune(self) }
}

/// The tutorial, step by step.
func fineTune(_ arguments: SeedTutorial) throws {
    let (epochs, imageSize, output) = (arguments.epochs, arguments.imageSize, URL(fileURLWithPath: arguments.output))
    Engine.manualSeed(42)
    // 1. Pretrained model; the classifier the tutorial prints, then replaced for our classes.
    let trainSet = AnyImageDataset(try ImageFolder(root: arguments.train))
    let valSet = AnyImageDataset(try ImageFolder(root: arguments.val))
    let model = try PretrainedModel(arguments.model, weights: URL(fileURLWithPath: arguments.weights)).model
    print("classifier: in_features=\(model.classifier.inFeatures) out_features=\(model.classifier.outFeatures)")
    try model.replaceHead(numClasses: trainSet.classes.count)

    // 2. Preprocessing exactly as the checkpoint expects (its mean/std and resize ratio), at --image-size.
    let config = model.pretrainedConfig
    let resize = Int((Double(imageSize) * Double(config.resizeSize) / Double(config.inputSize)).rounded())
    let (mean, std) = (config.mean.map(Float.init), config.std.map(Float.init))
    let trainLoader = try DataLoader(dataset: trainSet, transform: .trainTransform(inputSize: imageSize, resizeSize: resize, mean: mean, std: std),
                                     batchSize: 32, shuffle: true, seed: 42)
    let valLoader = try DataLoader(dataset: valSet, transform: .evalTransform(inputSize: imageSize, resizeSize: resize, mean: mean, std: std),
                                   batchSize: 64, shuffle: false)

    // 3. Freeze everything, then train the last stage (lr 1e-4) and the new head (lr 1e-3) in two groups.
    try model.freeze()
    let stages = model.layerGroups.map(\.name).dropLast()
    let optimizer = try Adam(groups: [try group(model, stages[stages.count - 1], lr: 1e-4), try group(model, "head", lr: 1e-3)])
    print(model.parameterSummary)

    // 4. The loop: train, validate, keep the best checkpoint as the tutorial's dict.
    var bestAccuracy = -1.0
    var scheduler: LearningRateScheduler?
    let unfreezeAt = epochs - epochs / 3
    for epoch in 0..<epochs {
        if epoch == unfreezeAt && stages.count >= 2 {
            // 6. Progressive unfreezing: the next stage joins at a tenth of the last stage's rate; cosine annealing
            //    over the remaining epochs from here (CosineAnnealingLR stepped once per epoch).
            optimizer.addGroup(try group(model, stages[stages.count - 2], lr: 1e-5))
            scheduler = try LearningRateScheduler(schedule: .cosine(CosineAnnealingSchedule(tMax: epochs - epoch)),
                                                  baseLearningRates: optimizer.groups.map(\.learningRate))
            print("unfroze \(stages[stages.count - 2]); \(model.parameterSummary)")
        }
        let (trainLoss, trainAccuracy) = try trainEpoch(model, trainLoader, optimizer)
        let metrics = try validate(model, valLoader, classes: trainSet.classes.count)
        try scheduler?.step(updating: optimizer)
        print(String(format: "epoch %d/%d train loss %.4f acc %.4f | val loss %.4f acc %.4f", epoch + 1, epochs,
                     trainLoss, trainAccuracy, metrics.meanLoss, metrics.accuracy))
        if metrics.accuracy > bestAccuracy {
            bestAccuracy = metrics.accuracy
            try TrainingCheckpoint(epoch: epoch, model: model, optimizer: optimizer, scheduler: scheduler,
                                   metrics: ["val_acc": metrics.accuracy]).save(to: output)
            print("saved \(output.path) (val_acc \(String(format: "%.4f", metrics.accuracy)))")
        }
    }

    // 5. The best checkpoint back, with the classification report and confusion matrix.
    let best = try TrainingCheckpoint(contentsOf: output)
    try model.load(stateDict: best.modelState, strict: true)
    let final = try validate(model, valLoader, classes: trainSet.classes.count)
    print(try final.report(classNames: trainSet.classes).text(digits: 4))
    print(try final.confusionMatrix(classNames: trainSet.classes).text())
    print(String(format: "best validation accuracy %.4f", bestAccuracy))
}

SeedTutorial.main()
