import ArgumentParser
import Foundation
import GraftIO
import GraftONNX
import GraftTrain

/// `graft export`: a trained model as a plain state dict PyTorch loads with `model.load_state_dict`, or as an ONNX
/// model that ONNX Runtime runs (class names and preprocessing in its metadata).
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a checkpoint's weights as a PyTorch state dict (.pth) or safetensors file, with PyTorch's names, or the model as ONNX.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case pth, safetensors, onnx }

    @Option(help: "A checkpoint written by graft train, or a run directory (its best checkpoint).")
    var checkpoint: String
    @Option(help: "pth (torch.load + load_state_dict), safetensors, or onnx (the whole model, opset 17, dynamic batch axis).")
    var format: Format = .pth
    @Option(help: "Output file.")
    var output: String

    func validate() throws {
        let folder = URL(fileURLWithPath: output).deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ValidationError("--output: the folder \(folder) does not exist")
        }
    }

    func run() throws {
        let loaded = try LoadedCheckpoint(contentsOf: URL(fileURLWithPath: checkpoint))
        let url = URL(fileURLWithPath: output)
        let stateDict = try StateDict(tensors: loaded.weights)
        switch format {
        case .pth: try TorchPthWriter.write(stateDict, to: url)
        case .safetensors: try SafetensorsWriter.write(stateDict, to: url)
        case .onnx:
            try loaded.exportONNX(to: url)
            print("wrote the ONNX model of \(loaded.metadata.model) (\(loaded.metadata.classes.count) classes, opset \(ONNXExporter.opsetVersion)) to \(output)")
            return
        }
        print("wrote \(stateDict.count) tensors of \(loaded.metadata.model) (\(loaded.metadata.classes.count) classes) to \(output)")
    }
}
