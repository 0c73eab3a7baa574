/// Why a model could not be exported to ONNX. Nothing is written when one is thrown.
public enum ONNXExportError: Error, CustomStringConvertible, Sendable {
    /// The forward pass ran an operation (or a variant of one) the exporter has no ONNX translation for.
    case unsupportedOperation(op: String, architecture: String, detail: String)
    /// The forward pass did something that only holds for the traced input (its structure changed with the batch size
    /// or sequence length, or a size the graph needs cannot be expressed through the dynamic axes).
    case inputDependentGraph(architecture: String, detail: String)
    /// The model or the export request is unusable (e.g. no class names for its classes).
    case invalidRequest(String)

    /// The message shown to the user.
    public var description: String {
        switch self {
        case .unsupportedOperation(let op, let architecture, let detail):
            return "ONNX export of \(architecture): the operation '\(op)' has no ONNX translation (\(detail))"
        case .inputDependentGraph(let architecture, let detail):
            return "ONNX export of \(architecture): the forward pass depends on the traced input: \(detail)"
        case .invalidRequest(let message):
            return "ONNX export: \(message)"
        }
    }
}
