import Foundation
import Graft

/// The recipe article's program (ImprovingAccuracy.md): the recipe's pieces chosen in the settings, the head's learning
/// rate from the learning-rate finder, training, and evaluation with test-time augmentation.
enum RecipeExample {
    /// What the program produced, for the test to check.
    struct Outcome {
        let sweep: LearningRateFinderResult
        let learner: Learner
        let predictions: Predictions
    }

    static func run(trainDirectory: String, validationDirectory: String, epochs: Int, runDirectory: URL) throws -> Outcome {
        // snippet: settings
        var settings = FineTuneSettings(epochs: epochs, imageSize: 64)
        settings.augmentation = .standard  // RandomResizedCrop + flip + TrivialAugmentWide
        settings.mixup = 0.2               // timm's batch mixing with soft targets
        settings.ema = 0.9                 // validate and keep the average of about the last 10 steps
        settings.clipGradNorm = 2.0        // clip_grad_norm_ before every optimizer step
        settings.accumulateBatches = 2     // each step: the update of a batch twice as large
        // settings.batchNorm stays .frozen: pretrained BatchNorm statistics are kept when their layers train

        Engine.manualSeed(settings.seed)
        var pretrained = try PretrainedModel("mobilenet_v2")
        let data = try DataSpec(source: trainDirectory, validation: validationDirectory)
            .load(config: pretrained.model.pretrainedConfig, settings: settings)
        try pretrained.replaceHead(numClasses: data.train.classes.count)
        // snippet: end

        // snippet: finder
        let probe = try Learner(model: pretrained.model, data: data, settings: settings)
        let sweep = try probe.findLearningRate(for: .head)  // the weights are restored afterwards
        print(sweep.summary(fallback: settings.headLearningRate))
        try sweep.write(to: runDirectory)  // lr_find.svg, lr_find.png, lr_find.json
        settings.headLearningRate = sweep.suggestedRate(fallback: settings.headLearningRate)
        // snippet: end

        // snippet: train
        let store = try RunStore(directory: runDirectory, data: nil)
        let learner = try Learner(model: pretrained.model, data: data, settings: settings,
                                  callbacks: [CheckpointCallback(store: store), ProgressCallback()])
        try learner.fit()

        let best = try LoadedCheckpoint(contentsOf: store.bestURL)  // the averaged weights of the best epoch
        let predictions = try Evaluator.run(
            model: best.model(), dataset: data.validation, transform: data.evalTransform,
            testTimeAugmentation: TestTimeAugmentation(.flip, allowsFlip: settings.flip))
        print(try predictions.report(classNames: learner.classes).text(digits: 4))
        // snippet: end
        return Outcome(sweep: sweep, learner: learner, predictions: predictions)
    }
}
