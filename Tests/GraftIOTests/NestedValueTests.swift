import Foundation
import GraftTestSupport
import XCTest
@testable import GraftIO

/// Nested values (training-checkpoint dicts) written as PyTorch `.pth` and as Graft object files: they read back
/// identically, PyTorch 1.13 loads the `.pth` (with `weights_only=True` when it holds no float), and the pickle uses
/// only the opcodes and globals PyTorch's restricted loader accepts.
final class NestedValueTests: XCTestCase {
    private static let checkerScript = TestSupport.packageRoot.appendingPathComponent("scripts/fixtures/check_weights_only_pickle.py").path

    private func entry(_ key: PickleValue, _ value: PickleValue) -> PickleEntry { PickleEntry(key: key, value: value) }

    /// Every kind of value the writers accept; `withFloats` adds Python floats (BINFLOAT), which 1.13's
    /// `weights_only` loader lacks.
    private func sample(withFloats: Bool) throws -> PickleValue {
        let weights = try StoredTensor(floats: [1, -2, 3.5, 4, 5, 6], shape: [2, 3])
        let step = try StoredTensor(floats: [3], shape: [])
        let counts = try StoredTensor(dtype: .int64, shape: [2], bytes: [7, 0, 0, 0, 0, 0, 0, 0, 255, 255, 255, 255, 255, 255, 255, 255])
        var entries = [
            entry(.string("epoch"), .int(3)),
            entry(.string("model_state_dict"), .orderedDict([entry(.string("fc.weight"), .tensor(weights)),
                                                              entry(.string("bn.num_batches_tracked"), .tensor(counts))])),
            entry(.string("state"), .dict([entry(.int(0), .dict([entry(.string("step"), .tensor(step))])),
                                           entry(.int(70_000), .dict([]))])),
            entry(.string("ints"), .list([.int(0), .int(255), .int(256), .int(65_536), .int(-1), .int(Int(Int32.max) + 1), .int(Int.min)])),
            entry(.string("flags"), .tuple([.bool(true), .bool(false), .none])),
            entry(.string("empty"), .tuple([.list([]), .tuple([]), .dict([]), .orderedDict([])])),
            entry(.string("text"), .string("é $x")),
            entry(.string("$odd key"), .int(1)),
        ]
        if withFloats {
            entries.append(entry(.string("val_acc"), .float(0.875)))
            entries.append(entry(.string("betas"), .tuple([.float(0.9), .float(0.999), .float(1e-8), .float(.infinity)])))
        }
        return .dict(entries)
    }

    /// Python that rebuilds `sample(withFloats:)` and compares it with a loaded file, types included.
    private static let pythonSample = """
    import collections, math, sys, torch
    def sample(with_floats):
        value = {
            "epoch": 3,
            "model_state_dict": collections.OrderedDict([("fc.weight", torch.tensor([[1, -2, 3.5], [4, 5, 6]])),
                                                         ("bn.num_batches_tracked", torch.tensor([7, -1]))]),
            "state": {0: {"step": torch.tensor(3.0)}, 70000: {}},
            "ints": [0, 255, 256, 65536, -1, 2**31, -2**63],
            "flags": (True, False, None),
            "empty": ([], (), {}, collections.OrderedDict()),
            "text": "é $x",
            "$odd key": 1,
        }
        if with_floats:
            value["val_acc"] = 0.875
            value["betas"] = (0.9, 0.999, 1e-8, math.inf)
        return value
    def same(a, b, path="root"):
        assert type(a) is type(b), (path, type(a), type(b))
        if isinstance(a, torch.Tensor):
            assert a.dtype == b.dtype and torch.equal(a, b), path
        elif isinstance(a, dict):
            assert list(a) == list(b), (path, list(a), list(b))
            for key in a: same(a[key], b[key], f"{path}[{key!r}]")
        elif isinstance(a, (list, tuple)):
            assert len(a) == len(b), path
            for i, (x, y) in enumerate(zip(a, b)): same(x, y, f"{path}[{i}]")
        else:
            assert a == b, (path, a, b)
    """

    func testSwiftReadsBothFormatsBackExactly() throws {
        let value = try sample(withFloats: true)
        let directory = try TestSupport.temporaryDirectory()
        let pth = directory.appendingPathComponent("value.pth")
        let graft = directory.appendingPathComponent("value.safetensors")
        try TorchPthWriter.write(value, to: pth)
        try SafetensorsObject.write(value, metadata: [(key: "writer", value: "test")], to: graft)
        XCTAssertEqual(try CheckpointReader.readObject(contentsOf: pth), value)
        XCTAssertEqual(try CheckpointReader.readObject(contentsOf: graft), value)
        let checkpoint = try CheckpointReader.readCheckpoint(contentsOf: graft)
        XCTAssertEqual(checkpoint.stateDict.names, ["fc.weight", "bn.num_batches_tracked"], "weights unwrapped from model_state_dict")
        XCTAssertEqual(PickleValue.dict(checkpoint.extras)["epoch"], .int(3))
    }

    func testStateDictIsTheOrderedDictSpecialCase() throws {
        let weights = StateDict([(name: "w", tensor: try StoredTensor(floats: [1, 2], shape: [2]))])
        XCTAssertEqual(try TorchPthWriter.encode(weights), try TorchPthWriter.encode(PickleValue(weights)))
        XCTAssertEqual(try CheckpointReader.readObject(bytes: try TorchPthWriter.encode(weights)), PickleValue(weights))
    }

    func testPyTorchLoadsTheValueAndWeightsOnlyAcceptsIt() throws {
        try TestSupport.requirePython(modules: ["torch"])
        let directory = try TestSupport.temporaryDirectory()
        let plain = directory.appendingPathComponent("plain.pth")
        let floats = directory.appendingPathComponent("floats.pth")
        try TorchPthWriter.write(try sample(withFloats: false), to: plain)
        try TorchPthWriter.write(try sample(withFloats: true), to: floats)
        let script = Self.pythonSample + "\n" + """
        plain, floats = sys.argv[1:]
        same(sample(False), torch.load(plain))
        same(sample(False), torch.load(plain, weights_only=True))
        same(sample(True), torch.load(floats))
        print("ok")
        """
        let loaded = try ReferencePython.run(code: script, arguments: [plain.path, floats.path])
        XCTAssertEqual(loaded.output, "ok\n", loaded.errors)
        for file in [plain, floats] {
            let result = try ReferencePython.run([Self.checkerScript, file.path])
            XCTAssertEqual(result.status, 0, "\(file.lastPathComponent): \(result.output) \(result.errors)")
            XCTAssertTrue(result.output.contains("\"refused_opcodes\": []"), result.output)
        }
        // The checker is not vacuous: LIST (0x6C) is outside the restricted set.
        let listPickle = directory.appendingPathComponent("list.pth")
        try Data(try CraftedFiles.zipCheckpoint(pickle: [0x80, 0x02, 0x28, 0x6C, 0x2E])).write(to: listPickle)
        let refused = try ReferencePython.run([Self.checkerScript, listPickle.path])
        XCTAssertEqual(refused.status, 1, refused.errors)
        XCTAssertTrue(refused.output.contains("\"refused_opcodes\": [\"LIST\"]"), refused.output)
    }

    func testUnwritableValuesAreRefusedByName() {
        let cases: [(PickleValue, String)] = [
            (.bytes([1]), "bytes"), (.global(module: "os", name: "system"), "os.system"),
            (.dict([PickleEntry(key: .list([]), value: .none)]), "dict key"),
        ]
        for (value, text) in cases {
            XCTAssertThrowsError(try TorchPthWriter.encode(value)) { XCTAssertTrue("\($0)".contains(text), "\($0)") }
        }
        XCTAssertThrowsError(try SafetensorsObject.encode(.bytes([1]))) { XCTAssertTrue("\($0)".contains("bytes"), "\($0)") }
        let deep = (0..<300).reduce(PickleValue.none) { inner, _ in .list([inner]) }
        XCTAssertThrowsError(try TorchPthWriter.encode(deep)) { XCTAssertTrue("\($0)".contains("deeper"), "\($0)") }
        XCTAssertThrowsError(try SafetensorsObject.encode(deep)) { XCTAssertTrue("\($0)".contains("deeper"), "\($0)") }
    }

    func testMalformedObjectMetadataIsReported() throws {
        let weights = StateDict([(name: "w", tensor: try StoredTensor(floats: [1], shape: [1]))])
        let cases = [("{\"$tensor\":\"missing\"}", "missing"), ("{\"$tuple\":1}", "$tuple"), ("{\"$dict\":[[1]]}", "pairs"), ("[", "JSON")]
        for (json, text) in cases {
            let bytes = SafetensorsWriter.encode(weights, metadata: [(key: SafetensorsObject.metadataKey, value: json)])
            XCTAssertThrowsError(try CheckpointReader.readObject(bytes: bytes), json) { XCTAssertTrue("\($0)".contains(text), "\(json): \($0)") }
        }
    }
}
