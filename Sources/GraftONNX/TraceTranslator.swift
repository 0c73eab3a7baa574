import Foundation
import GraftTensor

/// Turns two traces of one forward pass (run on inputs of different batch size, and for text of different length)
/// into an ONNX graph: parameters become initializers under their state-dict names, tensors made outside the traced
/// operations become constant initializers, each live record becomes ONNX nodes (`OperatorTranslation`), and every
/// size that differs between the traces is computed from the graph's inputs instead of baked in.
struct TraceTranslator {
    /// One traced operation as seen in both traces, with the graph values it reads and writes.
    struct Step {
        let first: TraceRecord
        let second: TraceRecord
        let inputs: [String]
        let outputs: [String]
        /// Where the second trace's operands disagree with the first's (a different constant or source); nil if none.
        let mismatch: String?
    }

    let architecture: String
    var graph = GraphBuilder()
    var sizes: DynamicSizes
    private var parameters: [String: Tensor] = [:]
    private var constants: [String: (first: Tensor, second: Tensor)] = [:]
    private var firstNames: [ObjectIdentifier: String] = [:]
    private var secondNames: [ObjectIdentifier: String] = [:]

    /// `parameters` are the model's state dict (named tensors the forward reads); `inputs` pairs each trace's input
    /// tensor with the graph value it is (a graph input, or a value computed from the graph inputs).
    init(architecture: String, parameters: [(String, Tensor)], inputs: [(first: Tensor, second: Tensor, name: String)], sizes: DynamicSizes) {
        self.architecture = architecture
        self.sizes = sizes
        for (name, tensor) in parameters {
            self.parameters[name] = tensor
            firstNames[ObjectIdentifier(tensor)] = name
            secondNames[ObjectIdentifier(tensor)] = name
        }
        for input in inputs {
            firstNames[ObjectIdentifier(input.first)] = input.name
            secondNames[ObjectIdentifier(input.second)] = input.name
        }
    }

    /// Translates the operations that lead to the first trace's `output` (its counterpart in the second trace is
    /// `secondOutput`), naming the result `outputName`.
    mutating func translate(_ first: Trace, _ second: Trace, output: Tensor, secondOutput: Tensor, outputName: String) throws {
        guard first.records.count == second.records.count,
              zip(first.records, second.records).allSatisfy({ $0.op == $1.op && $0.inputs.count == $1.inputs.count }) else {
            throw ONNXExportError.inputDependentGraph(
                architecture: architecture,
                detail: "its operations differ between a batch of 1 and a batch of 2 (\(first.records.count) vs \(second.records.count) operations)")
        }
        var steps: [Step] = []
        for (a, b) in zip(first.records, second.records) {
            var mismatch: String?
            let inputs = a.inputs.indices.map { index -> String in
                let name = value(of: a.inputs[index], secondTensor: b.inputs[index])
                if name.second != name.first { mismatch = "operand \(index) of '\(a.op)' comes from different sources" }
                return name.first
            }
            let outputs = a.outputs.indices.map { _ in graph.fresh(a.op) }
            for (index, name) in outputs.enumerated() {
                firstNames[ObjectIdentifier(a.outputs[index])] = name
                secondNames[ObjectIdentifier(b.outputs[index])] = name
            }
            steps.append(Step(first: a, second: b, inputs: inputs, outputs: outputs, mismatch: mismatch))
        }
        let result = value(of: output, secondTensor: secondOutput)
        guard result.first == result.second else {
            throw ONNXExportError.inputDependentGraph(architecture: architecture, detail: "the two traces' outputs come from different operations")
        }
        var needed: Set<String> = [result.first]
        var live = [Bool](repeating: false, count: steps.count)
        for index in steps.indices.reversed() where steps[index].outputs.contains(where: needed.contains) {
            live[index] = true
            needed.formUnion(steps[index].inputs)
        }
        for (step, isLive) in zip(steps, live) where isLive {
            if let mismatch = step.mismatch {
                throw ONNXExportError.inputDependentGraph(architecture: architecture, detail: mismatch)
            }
            try translate(step)
        }
        graph.add("Identity", [result.first], outputs: [outputName])
        try addInitializers(for: needed)
    }

    /// The graph value a tensor holds in the first and the second trace; a tensor no traced operation made becomes a
    /// constant (checked at the end to be the same in both traces).
    private mutating func value(of tensor: Tensor, secondTensor: Tensor) -> (first: String, second: String) {
        let a = firstNames[ObjectIdentifier(tensor)], b = secondNames[ObjectIdentifier(secondTensor)]
        if let a, let b { return (a, b) }
        if a == nil, b == nil {
            let name = graph.fresh("constant")
            constants[name] = (tensor, secondTensor)
            firstNames[ObjectIdentifier(tensor)] = name
            secondNames[ObjectIdentifier(secondTensor)] = name
            return (name, name)
        }
        return (a ?? "a constant", b ?? "a constant")
    }

    private mutating func addInitializers(for needed: Set<String>) throws {
        for name in needed.sorted() {
            if let tensor = parameters[name] {
                graph.addInitializer(try GraphBuilder.tensorProto(name: name, tensor))
            } else if let pair = constants[name] {
                let (first, second) = (pair.first, pair.second)
                guard first.shape == second.shape, first.dtype == second.dtype,
                      try first.contiguous().rawBytes() == second.contiguous().rawBytes() else {
                    throw ONNXExportError.inputDependentGraph(
                        architecture: architecture,
                        detail: "a tensor made outside the traced operations (\(first.dtype) \(first.shape)) differs between the traces; make it with tensor operations")
                }
                graph.addInitializer(try GraphBuilder.tensorProto(name: name, first))
            }
        }
    }

    // MARK: Sizes

    /// A 1-D int64 graph value holding `first` (the first trace's sizes), where each size that differs in `second`
    /// is computed at run time from a dynamic size.
    mutating func sizeValue(_ first: [Int], _ second: [Int], of op: String) throws -> String {
        guard first.count == second.count else {
            throw ONNXExportError.inputDependentGraph(architecture: architecture, detail: "'\(op)' has \(first.count) sizes in one trace, \(second.count) in the other")
        }
        if first == second { return graph.int64s(first) }
        var pieces: [String] = []
        var run: [Int] = []
        for (a, b) in zip(first, second) {
            if a == b { run.append(a); continue }
            guard let dynamic = sizes.value(first: a, second: b, in: &graph) else {
                throw ONNXExportError.inputDependentGraph(
                    architecture: architecture,
                    detail: "'\(op)' uses a size (\(a) for a batch of 1, \(b) for a batch of 2) that is no multiple of the batch size or the sequence length")
            }
            if !run.isEmpty { pieces.append(graph.int64s(run)); run = [] }
            pieces.append(dynamic)
        }
        if !run.isEmpty { pieces.append(graph.int64s(run)) }
        return pieces.count == 1 ? pieces[0] : graph.node("Concat", pieces, [Attribute.int("axis", 0)])
    }

    /// Like `sizeValue` for one size, as a 0-D value of `dtype` (e.g. the end of a `Range`).
    mutating func scalarSize(_ first: Double, _ second: Double, _ dtype: DType, of op: String) throws -> String {
        guard first != second else { return try graph.scalar(first, dtype) }
        guard first == first.rounded(), second == second.rounded() else {
            throw ONNXExportError.inputDependentGraph(architecture: architecture, detail: "'\(op)' uses a fractional value that changes with the input")
        }
        let size = try sizeValue([Int(first)], [Int(second)], of: op)
        let scalar = graph.node("Squeeze", [size, graph.int64s([0])])
        return dtype == .int64 ? scalar : graph.node("Cast", [scalar], [Attribute.int("to", Int(ONNXType.code(dtype)))])
    }

    func unsupported(_ step: Step, _ detail: String) -> ONNXExportError {
        .unsupportedOperation(op: step.first.op, architecture: architecture, detail: detail)
    }
}
