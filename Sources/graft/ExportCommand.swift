import ArgumentParser
import Foundation
import GraftIO
import GraftTrain

/// `graft export`: a trained model as a plain state dict PyTorch loads with `model.load_state_dict`.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a checkpoint's weights as a PyTorch state dict (.pth) or safetensors file, with PyTorch's names.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case pth, safetensors }

    @Option(help: "A checkpoint written by graft train, or a run directory (its best checkpoint).")
    var checkpoint: String
    @Option(help: "pth (torch.load + load_state_dict) or safetensors.")
    var format: Format = .pth
    @Option(help: "Output file.")
    var output: String

    func run() throws {
        let loaded = try LoadedCheckpoint(contentsOf: URL(fileURLWithPath: checkpoint))
        let stateDict = try StateDict(tensors: loaded.weights)
        let url = URL(fileURLWithPath: output)
        switch format {
        case .pth: try TorchPthWriter.write(stateDict, to: url)
        case .safetensors: try SafetensorsWriter.write(stateDict, to: url)
        }
        print("wrote \(stateDict.count) tensors of \(loaded.metadata.model) (\(loaded.metadata.classes.count) classes) to \(output)")
    }
}
