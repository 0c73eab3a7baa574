import CTorch

/// A failure reported by the tensor engine or caught before calling it.
public enum TensorError: Error, CustomStringConvertible, Equatable {
    /// libtorch refused an operation; `operands` are the input shapes.
    case engine(op: String, operands: [[Int]], message: String)
    /// The arguments were invalid before reaching the engine.
    case invalidArgument(String)

    /// A message naming the operation, the operand shapes and the reason.
    public var description: String {
        switch self {
        case .engine(let op, let operands, let message):
            let shapes = operands.map { "[" + $0.map(String.init).joined(separator: ", ") + "]" }.joined(separator: ", ")
            return operands.isEmpty ? "\(op): \(message)" : "\(op)(\(shapes)): \(message)"
        case .invalidArgument(let message):
            return message
        }
    }

    static func lastEngineError(_ op: String, _ operands: [Tensor]) -> TensorError {
        .engine(op: op, operands: operands.map(\.shape), message: String(cString: gt_last_error()))
    }
}
