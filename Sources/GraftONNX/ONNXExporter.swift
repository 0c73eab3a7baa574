import Foundation
import GraftModels
import GraftNN
import GraftTensor

/// Writes Graft classifiers as ONNX models (opset 17) that ONNX Runtime and other ONNX tools run without Graft.
///
/// The graph is recorded from the model's own forward pass (GraftTensor's `Trace`), never re-implemented per
/// architecture: the model runs in eval mode without gradients, once on a batch of 1 and once on a batch of 2 (text:
/// also of two lengths), and every operation becomes ONNX nodes. Sizes that differ between the two runs are computed from
/// the inputs' shapes in the graph, so the batch axis (and a text model's sequence axis) is dynamic. Parameters and
/// buffers become initializers under their PyTorch state-dict names; batch norms stay `BatchNormalization` nodes
/// (not folded into the convolutions). An operation without a translation throws
/// ``ONNXExportError/unsupportedOperation(op:architecture:detail:)`` naming it and the architecture.
///
/// Image models take `input` (float32 [batch, 3, size, size], RGB, normalised with the mean and std in the
/// metadata) and give `logits` [batch, classes]. Text models take `input_ids`, `attention_mask` and `token_type_ids`
/// (int64 [batch, sequence]) and give `logits`. The model's `metadata_props` hold what a consumer needs to prepare
/// inputs and read outputs (see ``MetadataKey``).
public enum ONNXExporter {
    /// The ONNX operator set the graphs use.
    public static let opsetVersion = 17
    /// The ONNX IR version written (the one released with opset 17).
    public static let irVersion = 8

    /// Keys of the `metadata_props` entries an export writes.
    public enum MetadataKey {
        /// The architecture (`resnet18`, `mobilenet_v2`, …, or a text model's name).
        public static let model = "graft.model"
        /// The class names, a JSON array of strings in output order.
        public static let classNames = "graft.class_names"
        /// `image` or `text`.
        public static let task = "graft.task"
        /// Image models: side of the square input in pixels.
        public static let inputSize = "graft.input_size"
        /// Image models: shorter side the image is resized to before the centre crop of `inputSize`.
        public static let resizeSize = "graft.resize_size"
        /// Image models: per-channel mean subtracted from RGB values scaled to [0, 1] (a JSON array).
        public static let mean = "graft.mean"
        /// Image models: per-channel standard deviation the centred values are divided by (a JSON array).
        public static let std = "graft.std"
        /// Image models: the resize interpolation (`bilinear`, `bicubic`).
        public static let interpolation = "graft.interpolation"
        /// Text models: most tokens per text (longer texts are truncated).
        public static let maxLength = "graft.max_length"
        /// Text models: how token states become one vector (`cls` or `mean`).
        public static let pooling = "graft.pooling"
        /// Text models: prefix of the tokenizer files' contents, e.g. `graft.tokenizer.tokenizer.json`.
        public static let tokenizerFilePrefix = "graft.tokenizer."
    }

    /// Writes `model` (any architecture Graft builds) to `url`, with `classNames` (one per output) and the
    /// preprocessing `preprocessing` (the model's `pretrainedConfig`, with the size it was trained at) in the metadata.
    public static func export(_ model: ImageClassifier, classNames: [String], preprocessing: PretrainedConfig, to url: URL) throws {
        try write(try modelProto(model, classNames: classNames, preprocessing: preprocessing), to: url)
    }

    /// Writes the text classifier `model` to `url`, with `classNames`, the longest input `maxLength` and the tokenizer
    /// files (name → UTF-8 contents, e.g. `tokenizer.json`, or `vocab.txt` and `tokenizer_config.json`) in the metadata.
    public static func export(_ model: TextClassifier, classNames: [String], maxLength: Int, tokenizerFiles: [String: String], to url: URL) throws {
        try write(try modelProto(model, classNames: classNames, maxLength: maxLength, tokenizerFiles: tokenizerFiles), to: url)
    }

    static func modelProto(_ model: ImageClassifier, classNames: [String], preprocessing: PretrainedConfig) throws -> Onnx_ModelProto {
        let size = preprocessing.inputSize
        guard size > 0 else { throw ONNXExportError.invalidRequest("input size \(size) must be positive") }
        let device = model.namedParameters().first?.1.device ?? .cpu
        let graph = try traced(model, classNames: classNames) { batch in
            try Tensor.rand([batch, 3, size, size], device: device)
        } inputs: { first, second, _ in
            ([(first, second, "input")], DynamicSizes([.init(name: "batch", first: 1, second: 2) { DynamicSizes.dimension(0, of: "input", in: &$0) }]))
        }
        var proto = makeModel(graph, inputs: [valueInfo("input", ONNXType.float, ["batch", 3, size, size])], classCount: classNames.count)
        let json = { (values: [Double]) in "[" + values.map { "\($0)" }.joined(separator: ", ") + "]" }
        proto.metadataProps = metadata([
            (MetadataKey.model, model.name), (MetadataKey.task, "image"), (MetadataKey.classNames, try jsonArray(classNames)),
            (MetadataKey.inputSize, "\(size)"), (MetadataKey.resizeSize, "\(preprocessing.resizeSize)"),
            (MetadataKey.mean, json(preprocessing.mean)), (MetadataKey.std, json(preprocessing.std)),
            (MetadataKey.interpolation, preprocessing.interpolation),
        ])
        return proto
    }

    static func modelProto(_ model: TextClassifier, classNames: [String], maxLength: Int, tokenizerFiles: [String: String]) throws -> Onnx_ModelProto {
        let configuration = model.encoder.configuration
        let lengths = (first: 5, second: 7)
        guard configuration.maxPositionEmbeddings >= lengths.second else {
            throw ONNXExportError.invalidRequest("\(model.name) has \(configuration.maxPositionEmbeddings) positions; tracing needs \(lengths.second)")
        }
        let device = model.namedParameters().first?.1.device ?? .cpu
        let names = ["input_ids", "token_type_ids", "attention_mask"]
        let graph = try traced(model, classNames: classNames) { batch in
            let length = batch == 1 ? lengths.first : lengths.second
            let ids = try Tensor.randint(low: 0, high: configuration.vocabSize, [batch, length], device: device)
            let typeIds = try Tensor.zeros([batch, length], dtype: .int64, device: device)
            return try TextClassifier.pack(ids: ids, typeIds: typeIds, mask: Tensor.ones([batch, length], dtype: .int64, device: device))
        } inputs: { first, second, graph in
            // The model reads packed rows [N, 3, L]: the three inputs stacked in `pack`'s order.
            let axis = graph.int64s([1])
            let packed = graph.node("Concat", names.map { graph.node("Unsqueeze", [$0, axis]) }, [Attribute.int("axis", 1)])
            let sizes = DynamicSizes([
                .init(name: "batch", first: 1, second: 2) { DynamicSizes.dimension(0, of: "input_ids", in: &$0) },
                .init(name: "sequence", first: lengths.first, second: lengths.second) { DynamicSizes.dimension(1, of: "input_ids", in: &$0) },
                .init(name: "tokens", first: lengths.first, second: 2 * lengths.second) { builder in
                    let batch = DynamicSizes.dimension(0, of: "input_ids", in: &builder)
                    return builder.node("Mul", [batch, DynamicSizes.dimension(1, of: "input_ids", in: &builder)])
                },
            ])
            return ([(first, second, packed)], sizes)
        }
        let inputs = ["input_ids", "attention_mask", "token_type_ids"].map { valueInfo($0, ONNXType.int64, ["batch", "sequence"]) }
        var proto = makeModel(graph, inputs: inputs, classCount: classNames.count)
        proto.metadataProps = metadata([
            (MetadataKey.model, model.name), (MetadataKey.task, "text"), (MetadataKey.classNames, try jsonArray(classNames)),
            (MetadataKey.maxLength, "\(maxLength)"), (MetadataKey.pooling, model.pooling.rawValue),
        ] + tokenizerFiles.sorted { $0.key < $1.key }.map { (MetadataKey.tokenizerFilePrefix + $0.key, $0.value) })
        return proto
    }

    /// The graph of `model`'s forward pass traced on `makeInput(1)` and `makeInput(2)`, in eval mode without gradients
    /// and without batch-norm folding (both restored afterwards); `inputs` names the traced inputs' graph values and the
    /// dynamic sizes, adding any nodes that compute them.
    private static func traced(
        _ model: Classifier, classNames: [String], makeInput: (Int) throws -> Tensor,
        inputs: (Tensor, Tensor, inout GraphBuilder) -> ([(first: Tensor, second: Tensor, name: String)], DynamicSizes)
    ) throws -> GraphBuilder {
        let wasTraining = model.isTraining
        let norms = model.namedModules().compactMap { $0.1 as? BatchNorm2d }
        let folding = norms.map(\.foldsIntoConvolution)
        model.eval()
        model.setBatchNormFolding(false)
        defer {
            model.train(wasTraining)
            for (norm, folds) in zip(norms, folding) { norm.foldsIntoConvolution = folds }
        }
        let first = try makeInput(1), second = try makeInput(2)
        let traceA = try withNoGrad { try Trace.record { try model(first) } }
        let traceB = try withNoGrad { try Trace.record { try model(second) } }
        let logits = traceA.result
        guard logits.rank == 2, logits.shape[1] == classNames.count else {
            throw ONNXExportError.invalidRequest("\(model.name) gives \(logits.shape.last ?? 0) outputs but \(classNames.count) class names were given")
        }
        var builder = GraphBuilder()
        let (named, sizes) = inputs(first, second, &builder)
        var translator = TraceTranslator(architecture: model.name, parameters: model.stateDict(), inputs: named, sizes: sizes)
        translator.graph = builder
        try translator.translate(traceA.trace, traceB.trace, output: traceA.result, secondOutput: traceB.result, outputName: "logits")
        return translator.graph
    }

    private static func makeModel(_ graph: GraphBuilder, inputs: [Onnx_ValueInfoProto], classCount: Int) -> Onnx_ModelProto {
        var proto = Onnx_ModelProto()
        proto.irVersion = Int64(irVersion)
        proto.producerName = "graft"
        var opset = Onnx_OperatorSetIdProto()
        opset.domain = ""
        opset.version = Int64(opsetVersion)
        proto.opsetImport = [opset]
        var body = Onnx_GraphProto()
        body.name = "graft"
        body.node = graph.nodes
        body.initializer = graph.initializers
        body.input = inputs
        body.output = [valueInfo("logits", ONNXType.float, ["batch", classCount])]
        proto.graph = body
        return proto
    }

    /// A tensor input or output: element type and dimensions (an `Int` is fixed, a `String` names a dynamic axis).
    private static func valueInfo(_ name: String, _ elementType: Int32, _ dims: [Any]) -> Onnx_ValueInfoProto {
        var shape = Onnx_TensorShapeProto()
        shape.dim = dims.map { dim in
            var d = Onnx_TensorShapeProto.Dimension()
            if let size = dim as? Int { d.dimValue = Int64(size) } else { d.dimParam = "\(dim)" }
            return d
        }
        var tensor = Onnx_TypeProto.Tensor()
        tensor.elemType = elementType
        tensor.shape = shape
        var type = Onnx_TypeProto()
        type.tensorType = tensor
        var info = Onnx_ValueInfoProto()
        info.name = name
        info.type = type
        return info
    }

    private static func metadata(_ entries: [(String, String)]) -> [Onnx_StringStringEntryProto] {
        entries.map { key, value in
            var entry = Onnx_StringStringEntryProto()
            (entry.key, entry.value) = (key, value)
            return entry
        }
    }

    private static func jsonArray(_ strings: [String]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        return String(decoding: try encoder.encode(strings), as: UTF8.self)
    }

    private static func write(_ proto: Onnx_ModelProto, to url: URL) throws {
        do {
            try proto.serializedData().write(to: url, options: .atomic)
        } catch let error as ONNXExportError {
            throw error
        } catch {
            throw ONNXExportError.invalidRequest("cannot write \(url.path): \(error.localizedDescription)")
        }
    }
}
