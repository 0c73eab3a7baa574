import CTorch

/// A failure reported by the tensor engine or caught before calling it.
public enum TensorError: Error, CustomStringConvertible, Equatable {
    /// libtorch refused an operation; `operands` are the input shapes.
    case engine(op: String, operands: [[Int]], message: String)
    /// The arguments were invalid before reaching the engine.
    case invalidArgument(String)
    /// A tensor was asked for on a device this libtorch build or machine lacks; the message says why and what to do.
    case deviceUnavailable(Device, String)
    /// The operands of one operation live on different devices.
    case deviceMismatch(op: String, operands: [[Int]], devices: [Device])

    /// A message naming the operation, the operand shapes and the reason.
    public var description: String {
        switch self {
        case .engine(let op, let operands, let message):
            let shapes = operands.map(Self.format).joined(separator: ", ")
            return operands.isEmpty ? "\(op): \(message)" : "\(op)(\(shapes)): \(message)"
        case .invalidArgument(let message), .deviceUnavailable(_, let message):
            return message
        case .deviceMismatch(let op, let operands, let devices):
            let placed = zip(operands, devices).map { "\(Self.format($0)) on \($1)" }.joined(separator: ", ")
            return "\(op)(\(placed)): the operands are on different devices; move them to one first "
                + "(Tensor.to(device:), Module.to(_:), Batch.tensors(on:))"
        }
    }

    private static func format(_ shape: [Int]) -> String { "[" + shape.map(String.init).joined(separator: ", ") + "]" }

    static func lastEngineError(_ op: String, _ operands: [Tensor]) -> TensorError {
        .engine(op: op, operands: operands.map(\.shape), message: String(cString: gt_last_error()))
    }
}
