import Foundation
import XCTest
@testable import GraftIO

/// Reads the torch- and Python-written fixtures and compares every tensor with expected.json exactly.
final class FixtureReadTests: XCTestCase {
    private var expected: [String: [ExpectedTensor]] = [:]

    override func setUpWithError() throws {
        expected = try ExpectedTensor.load()
    }

    private func read(_ name: String, prefix: CheckpointReader.PrefixPolicy = .stripModuleIfPresent) throws -> Checkpoint {
        try CheckpointReader.readCheckpoint(contentsOf: TestSupport.fixtures.appendingPathComponent(name), prefix: prefix)
    }

    func testZipFormatMatchesTorch() throws {
        let checkpoint = try read("state_zip.pth")
        XCTAssertEqual(checkpoint.format, .torchZip)
        assertMatches(checkpoint.stateDict, try XCTUnwrap(expected["state_zip.pth"]))
    }

    func testLegacyFormatMatchesTorch() throws {
        let checkpoint = try read("state_legacy.pth")
        XCTAssertEqual(checkpoint.format, .torchLegacy)
        assertMatches(checkpoint.stateDict, try XCTUnwrap(expected["state_legacy.pth"]))
    }

    func testViewsAreMaterializedContiguously() throws {
        let weights = try read("state_zip.pth").stateDict
        XCTAssertEqual(weights["transposed"]?.shape, [5, 3])
        XCTAssertEqual(weights["strided_slice"]?.shape, [3, 3])
        XCTAssertEqual(weights["shared_b"]?.shape, [2, 3])
        XCTAssertEqual(weights["scalar"]?.shape, [])
        XCTAssertEqual(weights["scalar"]?.bytes.count, 8)
        XCTAssertEqual(weights["empty"]?.bytes, [])
    }

    func testTrainingCheckpointIsUnwrapped() throws {
        let checkpoint = try read("checkpoint_zip.pth")
        assertMatches(checkpoint.stateDict, try XCTUnwrap(expected["checkpoint_zip.pth"]))
        let extras = PickleValue.dict(checkpoint.extras)
        XCTAssertEqual(extras["epoch"], .int(3))
        XCTAssertEqual(extras["best_acc"], .float(0.875))
        XCTAssertEqual(extras["classes"], .list([.string("cat"), .string("dog")]))
        XCTAssertNil(extras["model_state_dict"])
        guard case .list(let groups)? = extras["optimizer_state_dict"]?["param_groups"], let group = groups.first else {
            return XCTFail("optimizer_state_dict.param_groups is missing")
        }
        XCTAssertEqual(group["lr"], .float(0.01))
        XCTAssertEqual(group["params"], .list([.int(0), .int(1)]))
    }

    func testDataParallelPrefixIsStrippedOnRequest() throws {
        assertMatches(try read("dataparallel_legacy.pth").stateDict, try XCTUnwrap(expected["dataparallel_legacy.pth"]))
        XCTAssertEqual(try read("dataparallel_legacy.pth", prefix: .keep).stateDict.names, ["module.weight", "module.bias"])
    }

    func testPythonWrittenSafetensors() throws {
        let checkpoint = try read("python.safetensors")
        XCTAssertEqual(checkpoint.format, .safetensors)
        assertMatches(checkpoint.stateDict, try XCTUnwrap(expected["python.safetensors"]))
        XCTAssertEqual(checkpoint.metadata.map(\.key), ["format", "source"])
        XCTAssertEqual(checkpoint.metadata.first?.value, "pt")
    }

    /// Old legacy files describe a view of a larger storage in the persistent id: (view_key, offset, size).
    func testLegacyViewMetadataOffsetsIntoTheRootStorage() throws {
        let pickle = CraftedFiles.singleTensorPickle(name: "view", size: 2) { storage in
            storage.string("root")
            storage.string("cpu")
            storage.int(6)
            storage.mark()
            storage.string("view-key")
            storage.int(2)
            storage.int(3)
            storage.tuple()
        }
        let root = try StoredTensor(floats: [0, 1, 2, 3, 4, 5], shape: [6])
        let file = CraftedFiles.legacyCheckpoint(pickle: pickle, storages: [(key: "root", elementCount: 6, bytes: root.bytes)])
        let weights = try CheckpointReader.readCheckpoint(bytes: file).stateDict
        XCTAssertEqual(try weights["view"]?.floats(), [3, 4])
    }

    func testUnknownFileGivesClearError() throws {
        let url = try TestSupport.temporaryDirectory().appendingPathComponent("page.pth")
        try Array("<html><body>404</body></html>".utf8).write(to: url)
        XCTAssertThrowsError(try CheckpointReader.read(contentsOf: url)) { error in
            XCTAssertEqual(String(describing: error), "\(url.path): not a PyTorch or safetensors checkpoint (first bytes 3C 68 74 6D)")
        }
    }
}

extension Array where Element == UInt8 {
    /// Writes the bytes to `url` (test helper).
    func write(to url: URL) throws {
        try Data(self).write(to: url)
    }
}
