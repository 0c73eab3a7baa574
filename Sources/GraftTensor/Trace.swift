/// A value an operation was called with besides its tensors (a stride, a shape, a scalar operand, a dtype).
public enum TraceAttribute: Sendable, Equatable {
    case int(Int)
    case ints([Int])
    case double(Double)
    case doubles([Double])
    case bool(Bool)
    case dtype(DType)
}

/// One tensor operation seen while a ``Trace`` recorded: what ran, on which tensors, with which other arguments, and
/// what it produced. GraftTensor knows nothing of any file format; exporters translate these records.
public struct TraceRecord: @unchecked Sendable {
    /// The operation's name as the tensor API calls it (`conv2d`, `add`, `reshape`, `clampMin_`, …).
    public let op: String
    /// The tensor operands, in the order the operation takes them.
    public let inputs: [Tensor]
    /// The other arguments, by the operation's parameter names.
    public let attributes: [String: TraceAttribute]
    /// The results; for an in-place operation (`inPlace`), the one tensor it overwrote.
    public let outputs: [Tensor]
    /// Whether the operation overwrote `outputs[0]` (its first input) instead of making a new tensor.
    public let inPlace: Bool

    /// The attribute `name`, as an integer.
    public func int(_ name: String) -> Int? { if case .int(let value)? = attributes[name] { value } else { nil } }
    /// The attribute `name`, as integers.
    public func ints(_ name: String) -> [Int]? { if case .ints(let value)? = attributes[name] { value } else { nil } }
    /// The attribute `name`, as a number (an integer attribute converts).
    public func double(_ name: String) -> Double? {
        switch attributes[name] {
        case .double(let value)?: value
        case .int(let value)?: Double(value)
        default: nil
        }
    }
    /// The attribute `name`, as numbers.
    public func doubles(_ name: String) -> [Double]? { if case .doubles(let value)? = attributes[name] { value } else { nil } }
    /// The attribute `name`, as a flag.
    public func bool(_ name: String) -> Bool? { if case .bool(let value)? = attributes[name] { value } else { nil } }
    /// The attribute `name`, as an element type.
    public func dtype(_ name: String) -> DType? { if case .dtype(let value)? = attributes[name] { value } else { nil } }
}

/// Records the tensor operations a piece of code runs on the current thread, e.g. a model's forward pass, for an
/// exporter to translate into another framework's graph. Every record keeps its tensors alive until the trace is
/// dropped, so no tensor's identity is reused while the trace lasts.
public final class Trace: @unchecked Sendable {
    /// The operations, in the order they ran.
    public private(set) var records: [TraceRecord] = []

    @TaskLocal static var active: Trace? = nil

    private init() {}

    /// Whether the current thread is being traced (models can avoid data-dependent shortcuts then).
    public static var isRecording: Bool { active != nil }

    /// Runs `body` on this thread, recording every tensor operation it performs; returns its result and the trace.
    public static func record<R>(_ body: () throws -> R) rethrows -> (result: R, trace: Trace) {
        let trace = Trace()
        let result = try $active.withValue(trace) { try body() }
        return (result, trace)
    }

    static func note(_ op: String, _ inputs: [Tensor], _ attributes: [String: TraceAttribute], _ outputs: [Tensor], inPlace: Bool) {
        active?.records.append(TraceRecord(op: op, inputs: inputs, attributes: attributes, outputs: outputs, inPlace: inPlace))
    }
}
