import ArgumentParser

/// Graft's performance cases; each prints one JSON line that `scripts/bench` pairs with its PyTorch twin.
@main
struct GraftBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graft-bench",
        abstract: "Graft benchmark cases, one JSON result line each (see scripts/bench).",
        subcommands: [OverheadCase.self, StepCase.self, InferCase.self, PredictCase.self, LearnerCase.self, TextStepCase.self,
                      TokenizeCase.self, AllReduceCase.self, ParityCase.self])
}
