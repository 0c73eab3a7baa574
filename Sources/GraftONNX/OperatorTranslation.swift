import GraftTensor

/// Each traced tensor operation as ONNX opset-17 nodes whose last output is the step's output value.
extension TraceTranslator {
    mutating func translate(_ step: Step) throws {
        let a = step.first, b = step.second
        let x = step.inputs.first ?? ""
        let out = step.outputs[0]
        let outType = a.outputs[0].dtype
        func emit(_ opType: String, _ inputs: [String], _ attributes: [Onnx_AttributeProto] = []) {
            graph.add(opType, inputs, attributes, outputs: [out])
        }
        /// Operand `index` converted to the output's element type (libtorch promotes mixed operands).
        func operand(_ index: Int) -> String {
            a.inputs[index].dtype == outType ? step.inputs[index]
                : graph.node("Cast", [step.inputs[index]], [Attribute.int("to", Int(ONNXType.code(outType)))])
        }
        func scalar(_ name: String) throws -> String { try graph.scalar(a.double(name) ?? 0, outType) }
        func rank(_ index: Int = 0) -> Int { a.inputs[index].rank }
        func axis(_ dim: Int, rank: Int) -> Int { dim < 0 ? dim + rank : dim }
        let binaryOps = ["add": "Add", "sub": "Sub", "mul": "Mul", "div": "Div", "pow": "Pow", "maximum": "Max", "minimum": "Min"]
        let inPlaceOps = ["add_": "Add", "sub_": "Sub", "mul_": "Mul", "div_": "Div", "clampMin_": "Max"]
        let unaryOps = ["relu": "Relu", "sigmoid": "Sigmoid", "tanh": "Tanh", "exp": "Exp", "log": "Log", "sqrt": "Sqrt",
                        "abs": "Abs", "reciprocal": "Reciprocal", "sign": "Sign", "floor": "Floor", "hardswish": "HardSwish"]
        let identities: Set = ["clone", "contiguous", "channelsLast", "detach"]
        let comparisons = ["eq": "Equal", "lt": "Less", "le": "LessOrEqual", "gt": "Greater", "ge": "GreaterOrEqual"]

        switch a.op {
        case let op where binaryOps[op] != nil || inPlaceOps[op] != nil:
            let opType = binaryOps[op] ?? inPlaceOps[op]!
            if a.inputs.count == 2 {
                var other = operand(1)
                if let alpha = a.double("alpha"), alpha != 1 { other = graph.node("Mul", [other, try graph.scalar(alpha, outType)]) }
                emit(opType, [operand(0), other])
            } else {
                emit(opType, [operand(0), try scalar("scalar")])
            }
        case let op where comparisons[op] != nil || op == "ne":
            let compared = a.inputs.count == 2 ? step.inputs[1] : try graph.scalar(a.double("scalar") ?? 0, a.inputs[0].dtype)
            if op == "ne" {
                emit("Not", [graph.node("Equal", [x, compared])])
            } else {
                emit(comparisons[op]!, [x, compared])
            }
        case let op where unaryOps[op] != nil:
            emit(unaryOps[op]!, [x])
        case let op where identities.contains(op):
            emit("Identity", [x])
        case "relu6":
            emit("Clip", [x, try graph.scalar(0, outType), try graph.scalar(6, outType)])
        case "clamp", "clamp_":
            emit("Clip", [x, try scalar("low"), try scalar("high")])
        case "rsqrt":
            emit("Reciprocal", [graph.node("Sqrt", [x])])
        case "square":
            emit("Mul", [x, x])
        case "silu":
            emit("Mul", [x, graph.node("Sigmoid", [x])])
        case "hardsigmoid":
            // torch: relu6(x + 3) / 6.
            emit("HardSigmoid", [x], [Attribute.float("alpha", 1.0 / 6), Attribute.float("beta", 0.5)])
        case "gelu":
            // The exact (erf) GELU libtorch computes; opset 17 has no Gelu node.
            let erf = graph.node("Erf", [graph.node("Div", [x, try graph.scalar(2.0.squareRoot(), outType)])])
            let scaled = graph.node("Mul", [x, graph.node("Add", [erf, try graph.scalar(1, outType)])])
            emit("Mul", [scaled, try graph.scalar(0.5, outType)])
        case "where":
            emit("Where", step.inputs)
        case "matmul":
            emit("MatMul", step.inputs)
        case "conv2d":
            let kernel = Array(a.inputs[1].shape.dropFirst(2))
            let padding = a.ints("padding") ?? [0, 0]
            emit("Conv", step.inputs, [Attribute.ints("kernel_shape", kernel), Attribute.ints("strides", a.ints("stride") ?? [1, 1]),
                                       Attribute.ints("pads", padding + padding), Attribute.ints("dilations", a.ints("dilation") ?? [1, 1]),
                                       Attribute.int("group", a.int("groups") ?? 1)])
        case "batchNorm":
            guard a.bool("training") == false else { throw unsupported(step, "batch statistics (training mode); export in eval mode") }
            guard a.ints("present") == [1, 1, 1, 1] else { throw unsupported(step, "batch norm without affine parameters or running statistics") }
            emit("BatchNormalization", step.inputs, [Attribute.float("epsilon", a.double("eps") ?? 1e-5)])
        case "layerNorm":
            guard a.ints("present")?.first == 1 else { throw unsupported(step, "layer norm without a weight") }
            let dims = a.ints("normalizedShape")?.count ?? 1
            emit("LayerNormalization", step.inputs, [Attribute.int("axis", -dims), Attribute.float("epsilon", a.double("eps") ?? 1e-5)])
        case "linear":
            if rank() == 2 {
                emit("Gemm", step.inputs, [Attribute.int("transB", 1)])
            } else {
                let product = graph.node("MatMul", [x, graph.node("Transpose", [step.inputs[1]], [Attribute.ints("perm", [1, 0])])])
                if step.inputs.count == 3 { emit("Add", [product, step.inputs[2]]) } else { emit("Identity", [product]) }
            }
        case "embedding":
            emit("Gather", [x, step.inputs[1]], [Attribute.int("axis", 0)])
        case "maxPool2d", "avgPool2d":
            let padding = a.ints("padding") ?? [0, 0]
            var attributes = [Attribute.ints("kernel_shape", a.ints("kernel") ?? []), Attribute.ints("strides", a.ints("stride") ?? []),
                              Attribute.ints("pads", padding + padding), Attribute.int("ceil_mode", a.bool("ceilMode") == true ? 1 : 0)]
            if a.op == "maxPool2d" {
                attributes.append(Attribute.ints("dilations", a.ints("dilation") ?? [1, 1]))
                emit("MaxPool", [x], attributes)
            } else {
                attributes.append(Attribute.int("count_include_pad", a.bool("countIncludePad") == false ? 0 : 1))
                emit("AveragePool", [x], attributes)
            }
        case "adaptiveAvgPool2d":
            let size = a.ints("outputSize") ?? [1, 1]
            let spatial = Array(a.inputs[0].shape.suffix(2))
            if size == [1, 1] {
                emit("GlobalAveragePool", [x])
            } else if spatial.count == 2, spatial[0] % size[0] == 0, spatial[1] % size[1] == 0 {
                let kernel = [spatial[0] / size[0], spatial[1] / size[1]]
                emit("AveragePool", [x], [Attribute.ints("kernel_shape", kernel), Attribute.ints("strides", kernel)])
            } else {
                // Bins of uneven or overlapping windows: libtorch's bounds, averaged separably (rows, then columns).
                var pooled = x
                for (offset, (input, output)) in zip(spatial, size).enumerated() {
                    let axis = 2 + offset
                    let bins = (0..<output).map { bin in
                        let start = bin * input / output, end = ((bin + 1) * input + output - 1) / output
                        let window = graph.node("Slice", [pooled, graph.int64s([start]), graph.int64s([end]), graph.int64s([axis])])
                        return graph.node("ReduceMean", [window], [Attribute.ints("axes", [axis]), Attribute.int("keepdims", 1)])
                    }
                    pooled = graph.node("Concat", bins, [Attribute.int("axis", axis)])
                }
                emit("Identity", [pooled])
            }
        case "dropout":
            guard a.bool("training") != true else { throw unsupported(step, "dropout in training mode; export in eval mode") }
            emit("Identity", [x])
        case "pad":
            let pads = a.ints("pads") ?? []
            let r = rank(), padded = pads.count / 2
            var begins = [Int](repeating: 0, count: r), ends = begins
            for index in 0..<padded {
                begins[r - 1 - index] = pads[2 * index]
                ends[r - 1 - index] = pads[2 * index + 1]
            }
            emit("Pad", [x, graph.int64s(begins + ends), try scalar("value")], [])
        case "softmax", "logSoftmax":
            emit(a.op == "softmax" ? "Softmax" : "LogSoftmax", [x], [Attribute.int("axis", a.int("dim") ?? -1)])
        case "reshape", "view", "flatten":
            let start = a.int("start") ?? 0, end = axis(a.int("end") ?? -1, rank: rank())
            if a.op == "flatten", start == 1, end == rank() - 1, rank() >= 2 {
                emit("Flatten", [x], [Attribute.int("axis", 1)])
            } else {
                emit("Reshape", [x, try sizeValue(a.outputs[0].shape, b.outputs[0].shape, of: a.op)])
            }
        case "expand":
            emit("Expand", [x, try sizeValue(a.outputs[0].shape, b.outputs[0].shape, of: a.op)])
        case "permute":
            emit("Transpose", [x], [Attribute.ints("perm", (a.ints("dims") ?? []).map { axis($0, rank: rank()) })])
        case "transpose":
            var perm = Array(0..<rank())
            perm.swapAt(axis(a.int("dim0") ?? 0, rank: rank()), axis(a.int("dim1") ?? 1, rank: rank()))
            emit("Transpose", [x], [Attribute.ints("perm", perm)])
        case "squeeze":
            let dim = axis(a.int("dim") ?? 0, rank: rank())
            if a.inputs[0].shape[dim] == 1 {
                emit("Squeeze", [x, graph.int64s([dim])])
            } else {
                emit("Identity", [x])
            }
        case "unsqueeze":
            emit("Unsqueeze", [x, graph.int64s([axis(a.int("dim") ?? 0, rank: rank() + 1)])])
        case "select":
            emit("Gather", [x, try graph.scalar(Double(a.int("index") ?? 0), .int64)], [Attribute.int("axis", a.int("dim") ?? 0)])
        case "indexSelect":
            emit("Gather", [x, step.inputs[1]], [Attribute.int("axis", a.int("dim") ?? 0)])
        case "slice":
            let dim = axis(a.int("dim") ?? 0, rank: rank())
            let starts = try sizeValue([a.int("start") ?? 0], [b.int("start") ?? 0], of: a.op)
            let ends = try sizeValue([a.int("end") ?? Int.max], [b.int("end") ?? Int.max], of: a.op)
            emit("Slice", [x, starts, ends, graph.int64s([dim]), graph.int64s([a.int("step") ?? 1])])
        case "cat":
            emit("Concat", step.inputs, [Attribute.int("axis", a.int("dim") ?? 0)])
        case "roll":
            // No Roll in ONNX: each shifted axis is its last `shift` elements followed by the rest.
            var rolled = x
            for (shift, dim) in zip(a.ints("shifts") ?? [], a.ints("dims") ?? []) {
                let d = axis(dim, rank: rank()), length = a.inputs[0].shape[d]
                guard length == b.inputs[0].shape[d] else { throw unsupported(step, "roll along an axis whose length changes with the input") }
                let split = length - ((shift % length) + length) % length
                guard split != length else { continue }
                let tail = graph.node("Slice", [rolled, graph.int64s([split]), graph.int64s([length]), graph.int64s([d])])
                let head = graph.node("Slice", [rolled, graph.int64s([0]), graph.int64s([split]), graph.int64s([d])])
                rolled = graph.node("Concat", [tail, head], [Attribute.int("axis", d)])
            }
            emit("Identity", [rolled])
        case "upsampleBicubic2d":
            // libtorch's bicubic: Keys' kernel with a = -0.75, source pixels clamped at the border (exclude_outside 0).
            let mode = a.bool("alignCorners") == true ? "align_corners" : "half_pixel"
            emit("Resize", [x, "", "", try sizeValue(a.outputs[0].shape, b.outputs[0].shape, of: a.op)],
                 [Attribute.string("mode", "cubic"), Attribute.float("cubic_coeff_a", -0.75),
                  Attribute.string("coordinate_transformation_mode", mode)])
        case "stack":
            let dim = axis(a.int("dim") ?? 0, rank: rank() + 1)
            let axes = graph.int64s([dim])
            emit("Concat", step.inputs.map { graph.node("Unsqueeze", [$0, axes]) }, [Attribute.int("axis", dim)])
        case "sum", "mean":
            let dims = (a.ints("dims") ?? []).map { axis($0, rank: rank()) }
            let keep = Attribute.int("keepdims", a.bool("keepDim") == true ? 1 : 0)
            let source = operand(0)
            if a.op == "sum" {
                emit("ReduceSum", dims.isEmpty ? [source] : [source, graph.int64s(dims)], [keep])
            } else {
                emit("ReduceMean", [source], dims.isEmpty ? [keep] : [Attribute.ints("axes", dims), keep])
            }
        case "to":
            let target = a.dtype("dtype") ?? outType
            if target == a.inputs[0].dtype {
                emit("Identity", [x])
            } else {
                emit("Cast", [x], [Attribute.int("to", Int(ONNXType.code(target)))])
            }
        case "arange":
            let dtype = a.dtype("dtype") ?? .float32
            emit("Range", [try scalarSize(a.double("start") ?? 0, b.double("start") ?? 0, dtype, of: a.op),
                           try scalarSize(a.double("end") ?? 0, b.double("end") ?? 0, dtype, of: a.op),
                           try scalarSize(a.double("step") ?? 1, b.double("step") ?? 1, dtype, of: a.op)])
        case "full":
            let value = try GraphBuilder.scalarProto(name: "value", value: a.double("value") ?? 0, dtype: outType)
            var one = value
            one.dims = [1]
            emit("ConstantOfShape", [try sizeValue(a.outputs[0].shape, b.outputs[0].shape, of: a.op)], [Attribute.tensor("value", one)])
        default:
            throw unsupported(step, "Graft's exporter translates the operations of its built-in architectures; this one was not needed so far")
        }
    }
}
