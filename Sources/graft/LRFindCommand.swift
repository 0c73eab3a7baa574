import ArgumentParser
import Foundation
import GraftTensor
import GraftTrain

extension LearningRateFinderStage: ExpressibleByArgument {}

/// `graft lr-find`: sweep the learning rate as fastai's `lr_find` does and suggest one for `graft train`.
struct LRFindCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lr-find",
        abstract: "Find a learning rate: sweep it exponentially over a few batches and suggest one.",
        discussion: """
        Takes the data and model flags of `graft train` (and its --config file). --stage head sweeps the new head \
        alone on cached backbone features (the rate for --head-lr); --stage backbone first trains the strategy's head \
        phase, then sweeps the groups the strategy unfreezes first (the rate for --lr). Prints the valley (the \
        suggestion), steepest and minimum/10 rates and writes lr_find.{svg,png,json} into --output.
        """)

    @OptionGroup var training: TrainOptions
    @Option(help: "Learning rate of the first batch of the sweep.")
    var startLr: Double = 1e-7
    @Option(help: "Learning rate the sweep grows towards.")
    var endLr: Double = 10
    @Option(help: "Batches in the sweep (the data is cycled when it has fewer).")
    var iterations: Int = 100
    @Option(help: "Which rate to find: head (--head-lr) or backbone (--lr).")
    var stage: LearningRateFinderStage = .head

    func validate() throws {
        if training.resume != nil { throw ValidationError("--resume is a graft train option; lr-find starts from the pretrained model") }
        if training.tensorboard != nil || training.noTensorboard || training.logEveryNSteps != nil {
            throw ValidationError("--tensorboard, --no-tensorboard and --log-every-n-steps are graft train options; lr-find writes lr_find.{svg,png,json}")
        }
        let finder = LearningRateFinder(startRate: startLr, endRate: endLr, iterations: iterations)
        do { try finder.validate() } catch { throw LibraryErrors.mapped(error) }
    }

    func run() throws {
        let configuration = try training.configuration()
        if (configuration.nprocPerNode ?? 1) > 1 || (configuration.nnodes ?? 1) > 1 {
            throw ValidationError("lr-find runs in one process: the config file's nproc-per-node and nnodes are for graft train")
        }
        if let threads = configuration.threads { Engine.threads = threads }
        let (model, data, prepared) = try TrainingRun.prepared(configuration)
        var settings = prepared
        settings.findHeadLearningRate = false
        settings.findBackboneLearningRate = false
        let learner = try Learner(model: model, data: data, settings: settings, callbacks: [ProgressCallback()])
        learner.precision = try configuration.trainingPrecision()
        let finder = LearningRateFinder(startRate: startLr, endRate: endLr, iterations: iterations)
        let result = try learner.findLearningRate(for: stage, with: finder)
        let fallback = stage == .head ? settings.headLearningRate : settings.backboneLearningRate
        if let suggestions = result.suggestions {
            let diverged = result.diverged ? String(format: " (the loss diverged at %.3g)", result.rates.last ?? 0) : ""
            Console.line(String(format: "suggested %@ %.3g (valley); steepest %.3g; minimum/10 %.3g",
                                stage == .head ? "--head-lr" : "--lr", suggestions.valley, suggestions.steepest, suggestions.minimumOverTen) + diverged)
        } else {
            Console.line(result.summary(fallback: fallback))
        }
        let directory = URL(fileURLWithPath: configuration.output ?? TrainingRun.defaultRunDirectory(model: model.name + "-lr-find"))
        let files = try result.write(to: directory)
        Console.line("wrote \(directory.path)/{\(files.joined(separator: ","))}")
    }
}
