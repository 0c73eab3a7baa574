// Fine-tunes an ImageNet-pretrained network on your labelled images with Graft's training object.
// Usage: quick-start TRAIN_DIR VAL_DIR [MODEL]   (ImageFolder layout: one sub-folder of images per class)
import Foundation
import Graft

let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
    print("usage: quick-start TRAIN_DIR VAL_DIR [MODEL]")
    exit(2)
}

// Six short epochs of 64-pixel images: two for the new head alone, then the deepest stage joins (learning rate 1e-4).
var settings = FineTuneSettings()
settings.epochs = 6
settings.imageSize = 64
settings.unfreezeDepth = 1

// The pretrained network (installed offline weights) with a new seeded head; the data preprocessed as it expects.
Engine.manualSeed(settings.seed)
var pretrained = try PretrainedModel(arguments.count > 3 ? arguments[3] : "mobilenet_v2")
let data = try DataSpec(source: arguments[1], validation: arguments[2])
    .load(config: pretrained.model.pretrainedConfig, settings: settings)
try pretrained.replaceHead(numClasses: data.train.classes.count)

let learner = try Learner(model: pretrained.model, data: data, settings: settings, callbacks: [ProgressCallback()])
try learner.fit()

print(try learner.validationMetrics.report(classNames: learner.classes).text(digits: 4))
print(String(format: "best validation accuracy %.4f", learner.runProgress.bestAccuracy ?? 0))
