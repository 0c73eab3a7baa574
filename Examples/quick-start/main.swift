// Fine-tunes an ImageNet-pretrained network on your labelled images with Graft's training object.
// Usage: quick-start TRAIN_DIR VAL_DIR [MODEL]   (ImageFolder layout: one sub-folder of images per class)
import Foundation
import Graft

do {
    let arguments = CommandLine.arguments
    guard arguments.count >= 3 else { throw TrainingError.invalidConfiguration("usage: quick-start TRAIN_DIR VAL_DIR [MODEL]") }
    // Six short epochs of 64-pixel images: two for the new head alone, then the deepest stage joins (learning rate 3e-4).
    let settings = FineTuneSettings(epochs: 6, strategy: .progressive, imageSize: 64)

    // The pretrained network (installed offline weights) with a new seeded head; the data preprocessed as it expects.
    var pretrained = try PretrainedModel(arguments.count > 3 ? arguments[3] : "mobilenet_v2")
    let data = try DataSpec(source: arguments[1], validation: arguments[2])
        .load(config: pretrained.model.pretrainedConfig, settings: settings)
    try pretrained.replaceHead(numClasses: data.train.classes.count, seed: settings.seed)

    let learner = try Learner(model: pretrained.model, data: data, settings: settings, callbacks: [ProgressCallback()])
    try learner.fit()

    print(try learner.validationMetrics.report(classNames: learner.classes).text(digits: 4))
    print(String(format: "best validation accuracy %.4f", learner.runProgress.bestAccuracy ?? 0))
} catch {
    FileHandle.standardError.write(Data("quick-start: \(error)\n".utf8))
    exit(1)
}
