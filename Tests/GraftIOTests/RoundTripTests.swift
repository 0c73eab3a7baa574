import Foundation
import XCTest
@testable import GraftIO

/// Files written by Graft read back identically in Graft and load in PyTorch with identical tensors.
final class RoundTripTests: XCTestCase {
    private func source() throws -> StateDict {
        try CheckpointReader.read(contentsOf: TestSupport.fixtures.appendingPathComponent("state_zip.pth"))
    }

    private func assertSame(_ lhs: StateDict, _ rhs: StateDict, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(lhs.names, rhs.names, file: file, line: line)
        for (name, tensor) in lhs.entries {
            XCTAssertEqual(rhs[name], tensor, name, file: file, line: line)
        }
    }

    func testSwiftReadsItsOwnFilesBack() throws {
        let weights = try source()
        let directory = try TestSupport.temporaryDirectory()
        let pth = directory.appendingPathComponent("w.pth")
        let safetensors = directory.appendingPathComponent("w.safetensors")
        try TorchPthWriter.write(weights, to: pth)
        try SafetensorsWriter.write(weights, metadata: [(key: "writer", value: "graft")], to: safetensors)
        let fromPth = try CheckpointReader.readCheckpoint(contentsOf: pth)
        XCTAssertEqual(fromPth.format, .torchZip)
        assertSame(weights, fromPth.stateDict)
        let fromSafetensors = try CheckpointReader.readCheckpoint(contentsOf: safetensors)
        assertSame(weights, fromSafetensors.stateDict)
        XCTAssertEqual(fromSafetensors.metadata.map(\.value), ["graft"])
    }

    /// One Python process checks the Swift-written `.pth` (torch.load and load_state_dict) and safetensors.
    func testPyTorchLoadsSwiftWrittenFiles() throws {
        try TestSupport.requirePython(modules: ["torch"])
        let directory = try TestSupport.temporaryDirectory()
        let pth = directory.appendingPathComponent("state.pth")
        let safetensors = directory.appendingPathComponent("state.safetensors")
        let linear = directory.appendingPathComponent("linear.pth")
        try TorchPthWriter.write(try source(), to: pth)
        try SafetensorsWriter.write(try source(), metadata: [(key: "writer", value: "graft")], to: safetensors)
        let checkpoint = TestSupport.fixtures.appendingPathComponent("checkpoint_zip.pth")
        try TorchPthWriter.write(try CheckpointReader.read(contentsOf: checkpoint), to: linear)
        let output = try TestSupport.runPythonChecked(Self.pythonChecks, arguments: [
            TestSupport.fixtures.appendingPathComponent("state_zip.pth").path, pth.path, safetensors.path, checkpoint.path, linear.path,
        ])
        XCTAssertEqual(output.split(separator: "\n"), ["pth ok 17", "safetensors ok 17", "load_state_dict ok"])
    }

    private static let pythonChecks = """
    import collections, json, struct, sys, torch
    reference_path, pth_path, safetensors_path, checkpoint_path, linear_path = sys.argv[1:]
    DTYPES = {"F32": torch.float32, "F64": torch.float64, "F16": torch.float16, "BF16": torch.bfloat16,
              "I64": torch.int64, "I32": torch.int32, "I16": torch.int16, "I8": torch.int8, "U8": torch.uint8, "BOOL": torch.bool}

    def read_safetensors(path):
        data = open(path, "rb").read()
        length = struct.unpack("<Q", data[:8])[0]
        header = json.loads(data[8:8 + length])
        metadata = header.pop("__metadata__", {})
        tensors = {}
        for name, info in header.items():
            begin, end = info["data_offsets"]
            dtype = DTYPES[info["dtype"]]
            raw = bytearray(data[8 + length + begin:8 + length + end])
            flat = torch.frombuffer(raw, dtype=dtype) if raw else torch.empty(0, dtype=dtype)
            tensors[name] = flat.reshape(info["shape"])
        return tensors, metadata

    def same(reference, candidate):
        assert list(reference) == list(candidate), (list(reference), list(candidate))
        for name, tensor in reference.items():
            other = candidate[name]
            assert tensor.dtype == other.dtype and tensor.shape == other.shape, name
            assert torch.equal(tensor.detach(), other), name
        return len(reference)

    reference = torch.load(reference_path)
    written = torch.load(pth_path)
    assert isinstance(written, collections.OrderedDict)
    print("pth ok", same(reference, written))
    tensors, metadata = read_safetensors(safetensors_path)
    assert metadata == {"writer": "graft"}, metadata
    print("safetensors ok", same(reference, tensors))
    model = torch.nn.Linear(3, 2)
    model.load_state_dict(torch.load(linear_path), strict=True)
    expected = torch.load(checkpoint_path)["model_state_dict"]
    assert torch.equal(model.weight, expected["weight"]) and torch.equal(model.bias, expected["bias"])
    print("load_state_dict ok")
    """
}
