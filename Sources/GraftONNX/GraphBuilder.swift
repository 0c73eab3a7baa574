import Foundation
import GraftTensor

/// The nodes and initializers of an ONNX graph under construction, with fresh value names and small constants.
struct GraphBuilder {
    private(set) var nodes: [Onnx_NodeProto] = []
    private(set) var initializers: [Onnx_TensorProto] = []
    private var counter = 0

    /// A value name not used before, readable in a graph viewer.
    mutating func fresh(_ hint: String) -> String {
        counter += 1
        return "\(hint)_\(counter)"
    }

    /// Appends a node; returns its outputs (`outputs` when given, else `outputCount` fresh names).
    @discardableResult
    mutating func add(_ opType: String, _ inputs: [String], _ attributes: [Onnx_AttributeProto] = [],
                      outputs: [String]? = nil, outputCount: Int = 1) -> [String] {
        var node = Onnx_NodeProto()
        node.opType = opType
        node.input = inputs
        node.output = outputs ?? (0..<outputCount).map { _ in fresh(opType) }
        node.attribute = attributes
        node.name = fresh("node_\(opType)")
        nodes.append(node)
        return node.output
    }

    /// Appends a one-output node and returns that output (named `output` when given).
    mutating func node(_ opType: String, _ inputs: [String], _ attributes: [Onnx_AttributeProto] = [], output: String? = nil) -> String {
        add(opType, inputs, attributes, outputs: output.map { [$0] })[0]
    }

    /// Adds a named initializer.
    mutating func addInitializer(_ tensor: Onnx_TensorProto) {
        initializers.append(tensor)
    }

    /// A 1-D int64 constant (shapes, axes, slice bounds).
    mutating func int64s(_ values: [Int]) -> String {
        let name = fresh("const")
        addInitializer(Self.tensorProto(name: name, dims: [values.count], dataType: ONNXType.int64,
                                        raw: values.flatMap { withUnsafeBytes(of: Int64($0).littleEndian) { Array($0) } }))
        return name
    }

    /// A 0-D constant of `dtype` holding `value` (a scalar operand).
    mutating func scalar(_ value: Double, _ dtype: DType) throws -> String {
        let name = fresh("scalar")
        addInitializer(try Self.scalarProto(name: name, value: value, dtype: dtype))
        return name
    }

    /// A 0-D tensor of `dtype` holding `value`.
    static func scalarProto(name: String, value: Double, dtype: DType) throws -> Onnx_TensorProto {
        let raw: [UInt8]
        switch dtype {
        case .float32: raw = withUnsafeBytes(of: Float(value).bitPattern.littleEndian) { Array($0) }
        case .float64: raw = withUnsafeBytes(of: value.bitPattern.littleEndian) { Array($0) }
        case .int64: raw = withUnsafeBytes(of: Int64(value).littleEndian) { Array($0) }
        case .int32: raw = withUnsafeBytes(of: Int32(value).littleEndian) { Array($0) }
        case .bool: raw = [value != 0 ? 1 : 0]
        default: raw = try Tensor(scalar: value).to(dtype).rawBytes()
        }
        return tensorProto(name: name, dims: [], dataType: ONNXType.code(dtype), raw: raw)
    }

    /// The initializer `name` holding `tensor`'s values.
    static func tensorProto(name: String, _ tensor: Tensor) throws -> Onnx_TensorProto {
        tensorProto(name: name, dims: tensor.shape, dataType: ONNXType.code(tensor.dtype), raw: try tensor.contiguous().rawBytes())
    }

    static func tensorProto(name: String, dims: [Int], dataType: Int32, raw: [UInt8]) -> Onnx_TensorProto {
        var proto = Onnx_TensorProto()
        proto.name = name
        proto.dims = dims.map(Int64.init)
        proto.dataType = dataType
        proto.rawData = Data(raw)
        return proto
    }
}

/// ONNX attribute values.
enum Attribute {
    static func int(_ name: String, _ value: Int) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto()
        (a.name, a.type, a.i) = (name, .int, Int64(value))
        return a
    }

    static func ints(_ name: String, _ values: [Int]) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto()
        (a.name, a.type, a.ints) = (name, .ints, values.map(Int64.init))
        return a
    }

    static func float(_ name: String, _ value: Double) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto()
        (a.name, a.type, a.f) = (name, .float, Float(value))
        return a
    }

    static func string(_ name: String, _ value: String) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto()
        (a.name, a.type, a.s) = (name, .string, Data(value.utf8))
        return a
    }

    static func tensor(_ name: String, _ value: Onnx_TensorProto) -> Onnx_AttributeProto {
        var a = Onnx_AttributeProto()
        (a.name, a.type, a.t) = (name, .tensor, value)
        return a
    }
}

/// ONNX's element type codes (`TensorProto.DataType`).
enum ONNXType {
    static let float: Int32 = 1
    static let int64: Int32 = 7

    static func code(_ dtype: DType) -> Int32 {
        switch dtype {
        case .float32: 1
        case .uint8: 2
        case .int8: 3
        case .int16: 5
        case .int32: 6
        case .int64: 7
        case .bool: 9
        case .float16: 10
        case .float64: 11
        case .bfloat16: 16
        }
    }
}
