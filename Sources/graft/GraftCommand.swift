import ArgumentParser
import GraftTensor
import GraftTrain

/// The `graft` command line: fine-tune pretrained networks on your own labelled data.
@main
struct GraftCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graft",
        abstract: "Fine-tune pretrained neural networks on your own labelled data.",
        version: GraftVersion.current,
        subcommands: [TrainCommand.self, EvaluateCommand.self, PredictCommand.self, InspectCommand.self, ExportCommand.self,
                      DataCommand.self, DoctorCommand.self]
    )

    /// Expands `--config FILE` into flags before parsing, so a config file can hold any flag.
    static func main() {
        Engine.cacheTensorMemory()  // reuses freed tensor memory: up to 3x faster inference (docs/performance.md)
        do {
            let arguments = try ConfigFile.expand(Array(CommandLine.arguments.dropFirst()))
            var command = try parseAsRoot(arguments)
            try command.run()
        } catch {
            exit(withError: error)
        }
    }
}
