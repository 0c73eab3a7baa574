import Foundation

/// ONNX's checker and ONNX Runtime (PyPI `onnx`, `onnxruntime`, installed by `scripts/setup` into assets/python) run on
/// an exported `.onnx` file: `onnx.checker.check_model` (full check, with shape inference) must pass, then each feed
/// runs through an `InferenceSession` on the CPU.
public enum ONNXRuntimeReference {
    /// One named input: its shape and values (float32 or int64).
    public struct Input: Sendable {
        public let name: String
        public let shape: [Int]
        public let values: Values

        /// The element values of an input.
        public enum Values: Sendable {
            case float32([Float])
            case int64([Int64])
        }

        public init(name: String, shape: [Int], values: Values) {
            (self.name, self.shape, self.values) = (name, shape, values)
        }
    }

    /// What the runtime produced and what the file says about itself.
    public struct Result: Sendable {
        /// The first output of each feed, flattened, in feed order.
        public let outputs: [[Float]]
        /// The first output's shape for each feed.
        public let shapes: [[Int]]
        /// The model's `metadata_props`.
        public let metadata: [String: String]
        /// The graph's opset (default domain) and its inputs' names in order.
        public let opset: Int
        public let inputNames: [String]
    }

    static let script = """
    import json, sys
    import numpy as np, onnx, onnxruntime as ort
    path, manifest = sys.argv[1], json.load(open(sys.argv[2]))
    model = onnx.load(path)
    onnx.checker.check_model(model, full_check=True)
    session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    outputs, shapes = [], []
    for feed in manifest:
        arrays = {i["name"]: np.fromfile(i["file"], dtype=i["dtype"]).reshape(i["shape"]) for i in feed}
        result = session.run(None, arrays)[0]
        outputs.append([float(v) for v in result.reshape(-1)])
        shapes.append(list(result.shape))
    print(json.dumps({
        "outputs": outputs, "shapes": shapes,
        "metadata": {p.key: p.value for p in model.metadata_props},
        "opset": next(o.version for o in model.opset_import if o.domain in ("", "ai.onnx")),
        "inputs": [i.name for i in session.get_inputs()],
    }))
    """

    /// Checks `model` and runs each feed (a list of inputs) through ONNX Runtime; fails with Python's message.
    public static func run(model: URL, feeds: [[Input]], scratch: URL) throws -> Result {
        try ReferencePython.require(modules: ["onnx", "onnxruntime", "numpy"])
        var manifest: [[[String: Any]]] = []
        for (feedIndex, feed) in feeds.enumerated() {
            var entries: [[String: Any]] = []
            for input in feed {
                let file = scratch.appendingPathComponent("feed\(feedIndex)-\(input.name).bin")
                let (bytes, dtype): (Data, String) = switch input.values {
                case .float32(let values): (values.withUnsafeBytes { Data($0) }, "float32")
                case .int64(let values): (values.withUnsafeBytes { Data($0) }, "int64")
                }
                try bytes.write(to: file)
                entries.append(["name": input.name, "file": file.path, "dtype": dtype, "shape": input.shape])
            }
            manifest.append(entries)
        }
        let manifestURL = scratch.appendingPathComponent("manifest.json")
        try JSONSerialization.data(withJSONObject: manifest).write(to: manifestURL)
        let python = try ReferencePython.run(code: script, arguments: [model.path, manifestURL.path])
        guard python.status == 0 else {
            throw NSError(domain: "ONNXRuntimeReference", code: Int(python.status),
                          userInfo: [NSLocalizedDescriptionKey: "onnx/onnxruntime failed on \(model.lastPathComponent): \(python.errors)"])
        }
        let object = try JSONSerialization.jsonObject(with: Data(python.output.utf8)) as? [String: Any] ?? [:]
        return Result(
            outputs: (object["outputs"] as? [[Double]] ?? []).map { $0.map(Float.init) },
            shapes: object["shapes"] as? [[Int]] ?? [],
            metadata: object["metadata"] as? [String: String] ?? [:],
            opset: object["opset"] as? Int ?? 0,
            inputNames: object["inputs"] as? [String] ?? [])
    }
}
