import ArgumentParser
import Foundation
import GraftTensor
import GraftTrain

/// The `graft` command line: fine-tune pretrained networks on your own labelled data.
@main
struct GraftCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graft",
        abstract: "Fine-tune pretrained neural networks on your own labelled data.",
        version: GraftVersion.current,
        subcommands: [TrainCommand.self, LRFindCommand.self, EvaluateCommand.self, PredictCommand.self, InspectCommand.self, ExportCommand.self,
                      DataCommand.self, DoctorCommand.self, LaunchCommand.self]
    )

    /// Runs a subcommand; library errors naming a setting are reported with its flag.
    static func main() {
        Engine.cacheTensorMemory()  // reuses freed tensor memory: up to 3x faster inference (docs/performance.md)
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let interrupted as Interrupted {
            FileHandle.standardError.write(Data("\n\(interrupted)\n".utf8))
            Foundation.exit(interrupted.exitStatus)
        } catch let error as TrainingError where error.launcherExitStatus != nil {
            // A launcher ends as its failed worker did (or as the signal it passed on), as torchrun does.
            let interrupted = if case .launchInterrupted = error { true } else { false }
            FileHandle.standardError.write(Data("\(interrupted ? "" : "Error: ")\(error)\n".utf8))
            Foundation.exit(error.launcherExitStatus ?? 1)
        } catch {
            exit(withError: LibraryErrors.mapped(error))
        }
    }
}
