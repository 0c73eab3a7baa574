import Foundation
import GraftTestSupport
import XCTest
@testable import GraftData

/// Every augmentation operation against torchvision 0.14 on PIL images (`autoaugment._apply_op`, which calls the
/// PIL functionals `F.affine`, `F.rotate`, `F.adjust_*`, `F.posterize`, `F.solarize`, `F.autocontrast`,
/// `F.equalize`), on real photos downscaled to 83×61 and 64×64, at positive, negative and boundary magnitudes.
/// Tolerance: exact bytes (the ports reproduce PIL's fixed-point stepping and float32 blending).
final class AugmentationParityTests: XCTestCase {
    /// The generated references, shared by the tests of this class (one Python run).
    struct References: @unchecked Sendable {
        let directory: String
        let manifest: [String: Any]

        func image(_ name: String) throws -> Image {
            let sizes = try XCTUnwrap(manifest["sizes"] as? [String: [Int]])
            let size = try XCTUnwrap(sizes[name], "no reference \(name)")
            let bytes = try XCTUnwrap(FileManager.default.contents(atPath: directory + "/" + name + ".rgb"))
            return try Image(width: size[0], height: size[1], pixels: [UInt8](bytes))
        }

        func floats(_ name: String) throws -> [Float] {
            let bytes = try XCTUnwrap(FileManager.default.contents(atPath: directory + "/" + name + ".f32"))
            return bytes.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        }

        var cases: [[String: Any]] { manifest["cases"] as? [[String: Any]] ?? [] }

        /// A float the script wrote as its Python repr (Foundation's JSON number parsing is not correctly rounded).
        static func number(_ value: Any?) throws -> Double {
            try XCTUnwrap((value as? String).flatMap(Double.init), "expected a float repr, got \(String(describing: value))")
        }
    }

    static let generated: Result<References, ReferenceFixtures.SkipReason> = generate()

    private static func generate() -> Result<References, ReferenceFixtures.SkipReason> {
        let directory = NSTemporaryDirectory() + "graft-augmentation-\(ProcessInfo.processInfo.processIdentifier)"
        atexit { try? FileManager.default.removeItem(atPath: NSTemporaryDirectory() + "graft-augmentation-\(ProcessInfo.processInfo.processIdentifier)") }
        let script = ReferenceFixtures.repositoryRoot + "/scripts/fixtures/make_augmentation_fixtures.py"
        guard let run = try? ReferencePython.run([script, directory]), run.status == 0 else {
            return .failure(.init(message: "augmentation fixtures failed (needs python3-torchvision, python3-pil, python3-skimage)"))
        }
        guard let data = FileManager.default.contents(atPath: directory + "/manifest.json"),
              let manifest = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            return .failure(.init(message: "augmentation fixture manifest unreadable in \(directory)"))
        }
        return .success(References(directory: directory, manifest: manifest))
    }

    /// The references, or a visible skip (a failure under `GRAFT_REQUIRE_REFERENCE=1`).
    func references() throws -> References {
        switch Self.generated {
        case let .success(references): return references
        case let .failure(reason): throw Prerequisite.missing(reason.message)
        }
    }

    /// torchvision's operation names mapped to ours.
    static let operations: [String: AugmentationOperation] = [
        "Identity": .identity, "ShearX": .shearX, "ShearY": .shearY, "TranslateX": .translateX, "TranslateY": .translateY,
        "Rotate": .rotate, "Brightness": .brightness, "Color": .color, "Contrast": .contrast, "Sharpness": .sharpness,
        "Posterize": .posterize, "Solarize": .solarize, "AutoContrast": .autoContrast, "Equalize": .equalize,
    ]

    func testEveryOperationMatchesTorchvisionExactly() throws {
        let references = try references()
        var checked = Set<AugmentationOperation>()
        for entry in references.cases {
            guard let name = entry["name"] as? String, let op = entry["op"] as? String else { continue }
            let magnitude = try References.number(entry["magnitude"])
            let operation = try XCTUnwrap(Self.operations[op], op)
            let output = operation.apply(try references.image(try XCTUnwrap(entry["input"] as? String)), magnitude: magnitude)
            let expected = try references.image(name)
            XCTAssertTrue(output == expected, "\(name): \(Self.differingBytes(output, expected)) bytes differ")
            checked.insert(operation)
        }
        XCTAssertEqual(checked, Set(AugmentationOperation.allCases), "every operation has a reference")
    }

    func testGeneralAffineMatchesTorchvisionExactly() throws {
        let references = try references()
        var count = 0
        for entry in references.cases {
            guard let name = entry["name"] as? String, let parameters = entry["affine"] as? [Any] else { continue }
            let angle = try References.number(parameters[0]), translate = try XCTUnwrap(parameters[1] as? [Int])
            let scale = try References.number(parameters[2]), shear = try XCTUnwrap(parameters[3] as? [Any]).map(References.number)
            let input = try references.image(try XCTUnwrap(entry["input"] as? String))
            let output = input.affine(angle: angle, translate: (translate[0], translate[1]), scale: scale, shear: (shear[0], shear[1]))
            let expected = try references.image(name)
            XCTAssertTrue(output == expected, "\(name): \(Self.differingBytes(output, expected)) bytes differ")
            count += 1
        }
        XCTAssertEqual(count, 6)
    }

    func testMagnitudeTablesEqualTorchvisionBitForBit() throws {
        let tables = try XCTUnwrap(try references().manifest["tables"] as? [String: [String: [String: Any]]])
        func compare(_ ours: [(operation: AugmentationOperation, magnitudes: MagnitudeRange)], _ theirs: [String: [String: Any]]?, _ label: String) throws {
            let theirs = try XCTUnwrap(theirs, label)
            XCTAssertEqual(ours.count, theirs.count, label)
            for (name, entry) in theirs {
                let operation = try XCTUnwrap(Self.operations[name])
                let range = try XCTUnwrap(ours.first { $0.operation == operation }?.magnitudes, "\(label) \(name)")
                XCTAssertEqual(range.bins, try XCTUnwrap(entry["bins"] as? [Any]).map(References.number), "\(label) \(name)")
                XCTAssertEqual(range.signed, try XCTUnwrap(entry["signed"] as? Bool), "\(label) \(name)")
            }
            let order = ["Identity", "ShearX", "ShearY", "TranslateX", "TranslateY", "Rotate", "Brightness", "Color", "Contrast",
                         "Sharpness", "Posterize", "Solarize", "AutoContrast", "Equalize"]
            XCTAssertEqual(ours.map(\.operation), order.compactMap { Self.operations[$0] }, "\(label): torchvision's order")
        }
        try compare(TrivialAugmentWide().space, tables["trivial"], "TrivialAugmentWide")
        try compare(RandAugment().space(width: 83, height: 61), tables["rand_61x83"], "RandAugment 83×61")
        try compare(RandAugment().space(width: 224, height: 224), tables["rand_224x224"], "RandAugment 224×224")
    }

    /// Erasing works on the normalised floats, so the erased box is exactly 0 like torchvision's; elsewhere the only
    /// difference is float rounding of (x/255 − mean)/std (measured ~1e-6; tolerance 1e-5).
    func testRandomErasingMatchesTorchvisionEraseForFixedBoxes() throws {
        let references = try references()
        let boxes = try XCTUnwrap(references.manifest["erasures"] as? [[Int]])
        let input = try references.image("input_cat")
        let erasing = RandomErasing(probability: 1)
        let pipeline = TransformPipeline([], normalize: .imageNet)
        for (index, box) in boxes.enumerated() {
            var random = SeededRandom(seed: 0)
            var planes = try pipeline.apply(input, random: &random).values
            planes.withUnsafeMutableBufferPointer {
                erasing.erase(RandomErasing.Box(top: box[0], left: box[1], height: box[2], width: box[3]), in: $0,
                              channels: 3, width: input.width, height: input.height)
            }
            let expected = try references.floats("erase\(index)")
            XCTAssertNil(Closeness(atol: 1e-5).mismatch(planes, expected), "box \(box)")
            XCTAssertEqual(planes.indices.filter { expected[$0] == 0 }.map { planes[$0] }.allSatisfy { $0 == 0 }, true, "box \(box) is exactly 0")
        }
    }

    static func differingBytes(_ a: Image, _ b: Image) -> Int {
        guard a.pixels.count == b.pixels.count else { return max(a.pixels.count, b.pixels.count) }
        return zip(a.pixels, b.pixels).filter { $0 != $1 }.count
    }
}
