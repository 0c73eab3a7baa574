import Foundation
import GraftTestSupport
import XCTest
@testable import GraftData

/// Reference outputs from PIL / torchvision, produced once per test run by scripts/fixtures/make_data_fixtures.py.
struct ReferenceFixtures: Sendable {
    static let photos = "/usr/lib/python3/dist-packages/skimage/data"
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// Where this test process writes the references (removed when the process exits).
    static let generatedDirectory = NSTemporaryDirectory() + "graft-data-fixtures-\(ProcessInfo.processInfo.processIdentifier)"

    /// The generated directory, or the reason it could not be generated.
    static let shared: Result<ReferenceFixtures, SkipReason> = generate()

    struct SkipReason: Error, Sendable { let message: String }

    let directory: String
    let sizes: [String: [Int]]
    let imageFolderClasses: [String]
    let imageFolderSamples: [(path: String, label: Int)]

    /// The fixtures, or a visible skip (a failure under `GRAFT_REQUIRE_REFERENCE=1`).
    static func load() throws -> ReferenceFixtures {
        switch shared {
        case let .success(fixtures): return fixtures
        case let .failure(reason): throw Prerequisite.missing(reason.message)
        }
    }

    private static func generate() -> Result<ReferenceFixtures, SkipReason> {
        let directory = generatedDirectory
        atexit { try? FileManager.default.removeItem(atPath: ReferenceFixtures.generatedDirectory) }
        let run: ReferencePython.Result
        do {
            run = try ReferencePython.run([repositoryRoot + "/scripts/fixtures/make_data_fixtures.py", directory])
        } catch {
            return .failure(SkipReason(message: "cannot run \(ReferencePython.interpreter): \(error)"))
        }
        guard run.status == 0 else {
            return .failure(SkipReason(message: "fixture script failed (needs python3-pil, python3-torchvision, python3-skimage): \(run.errors.suffix(300))"))
        }
        guard let data = FileManager.default.contents(atPath: directory + "/manifest.json"),
              let manifest = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let sizes = manifest["sizes"] as? [String: [Int]],
              let folder = manifest["imagefolder"] as? [String: Any],
              let classes = folder["classes"] as? [String],
              let samples = folder["samples"] as? [[Any]] else {
            return .failure(SkipReason(message: "fixture manifest unreadable in \(directory)"))
        }
        let pairs = samples.compactMap { pair -> (String, Int)? in
            guard pair.count == 2, let path = pair[0] as? String, let label = pair[1] as? Int else { return nil }
            return (path, label)
        }
        return .success(ReferenceFixtures(directory: directory, sizes: sizes, imageFolderClasses: classes, imageFolderSamples: pairs))
    }

    /// Path of a generated file.
    func path(_ name: String) -> String { directory + "/" + name }

    /// A reference RGB image written as <name>.rgb.
    func image(_ name: String) throws -> Image {
        let size = try XCTUnwrap(sizes[name], "no reference \(name)")
        let bytes = try XCTUnwrap(FileManager.default.contents(atPath: path(name + ".rgb")))
        return try Image(width: size[0], height: size[1], pixels: [UInt8](bytes))
    }

    /// A reference CHW float tensor written as <name>.f32.
    func floats(_ name: String) throws -> [Float] {
        let bytes = try XCTUnwrap(FileManager.default.contents(atPath: path(name + ".f32")))
        return bytes.withUnsafeBytes { raw in Array(raw.bindMemory(to: Float.self)) }
    }
}

/// Mean absolute difference between two equally sized images, in grey levels.
func meanAbsoluteDifference(_ a: Image, _ b: Image) -> Double {
    guard a.pixels.count == b.pixels.count, !a.pixels.isEmpty else { return .infinity }
    let total = zip(a.pixels, b.pixels).reduce(0) { $0 + abs(Int($1.0) - Int($1.1)) }
    return Double(total) / Double(a.pixels.count)
}
