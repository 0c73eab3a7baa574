import Foundation
import XCTest
@testable import GraftData

/// The random policies (TrivialAugmentWide, RandAugment, RandomErasing) and the presets built from them.
final class AugmentationPolicyTests: XCTestCase {
    private func photo() throws -> Image {
        let full = try ImageDecoder.decodeFile(atPath: ReferenceFixtures.photos + "/chelsea.png")
        var random = SeededRandom(seed: 0)
        return try Resize(height: 48, width: 64).apply(full, random: &random)
    }

    func testPoliciesAreReproducibleForASeedAndDifferAcrossSeeds() throws {
        let image = try photo()
        for policy in [TrivialAugmentWide() as any ImageTransform, RandAugment()] {
            var outputs = Set<[UInt8]>()
            for sample in 0..<12 {
                var first = SeededRandom(seed: 5, epoch: 1, index: sample), second = SeededRandom(seed: 5, epoch: 1, index: sample)
                let output = try policy.apply(image, random: &first)
                XCTAssertEqual(output, try policy.apply(image, random: &second), "\(policy) sample \(sample)")
                XCTAssertEqual([output.width, output.height], [64, 48])
                outputs.insert(output.pixels)
            }
            XCTAssertGreaterThan(outputs.count, 6, "\(policy) should vary across samples")
        }
    }

    func testTrivialAugmentWideDrawsCoverEveryOperationBinAndSign() {
        let policy = TrivialAugmentWide()
        var random = SeededRandom(seed: 17)
        var operations = Set<AugmentationOperation>(), magnitudes: [AugmentationOperation: Set<Double>] = [:]
        var negative = Set<AugmentationOperation>()
        for _ in 0..<20_000 {
            let (operation, magnitude) = policy.draw(random: &random)
            operations.insert(operation)
            magnitudes[operation, default: []].insert(abs(magnitude))
            if magnitude < 0 { negative.insert(operation) }
        }
        XCTAssertEqual(operations, Set(AugmentationOperation.allCases))
        for (operation, range) in policy.space {
            let drawn = magnitudes[operation] ?? []
            XCTAssertEqual(drawn, range.bins.isEmpty ? [0] : Set(range.bins), "\(operation) bins")
            XCTAssertEqual(negative.contains(operation), range.signed, "\(operation) sign")
        }
    }

    func testRandAugmentAppliesTwoOperationsAtMagnitudeNine() {
        let policy = RandAugment()
        let space = policy.space(width: 224, height: 224)
        var random = SeededRandom(seed: 3)
        var operations = Set<AugmentationOperation>(), signs = Set<Bool>()
        for _ in 0..<2_000 {
            let draws = policy.draw(width: 224, height: 224, random: &random)
            XCTAssertEqual(draws.count, 2)
            for (operation, magnitude) in draws {
                operations.insert(operation)
                guard let range = space.first(where: { $0.operation == operation })?.magnitudes else { return XCTFail("\(operation)") }
                XCTAssertEqual(abs(magnitude), range.bins.isEmpty ? 0 : abs(range.bins[9]), "\(operation)")
                if range.signed { signs.insert(magnitude < 0) }
            }
        }
        XCTAssertEqual(operations, Set(AugmentationOperation.allCases))
        XCTAssertEqual(signs, [true, false])
        XCTAssertEqual(space.first { $0.operation == .posterize }?.magnitudes.bins[9], 7)
        var unused = SeededRandom(seed: 0)
        XCTAssertThrowsError(try RandAugment(magnitude: 31).apply(Image(width: 1, height: 1, checkedPixels: [0, 0, 0]), random: &unused))
    }

    func testRandomErasingDrawsFollowTorchvisionsRules() throws {
        let erasing = RandomErasing(probability: 1)
        var random = SeededRandom(seed: 8)
        var erased = 0
        for _ in 0..<500 {
            guard let box = erasing.box(width: 64, height: 48, random: &random) else { continue }
            erased += 1
            XCTAssertTrue(box.top >= 0 && box.left >= 0 && box.top + box.height <= 48 && box.left + box.width <= 64, "\(box)")
            XCTAssertTrue(box.height < 48 && box.width < 64, "strictly smaller than the image: \(box)")
            let fraction = Double(box.width * box.height) / Double(64 * 48)
            XCTAssertTrue((0.01...0.36).contains(fraction), "area fraction \(fraction)")
        }
        XCTAssertGreaterThan(erased, 450, "with p = 1 nearly every draw erases (misses only after 10 failed attempts)")
        XCTAssertNil(RandomErasing(probability: 0).box(width: 64, height: 48, random: &random))
        XCTAssertThrowsError(try RandomErasing(probability: 1.5).validate())
        XCTAssertThrowsError(try RandomErasing(ratio: 0...3).validate())
    }

    func testPipelineErasesToTheNormalisationMeanAfterTheImageSteps() throws {
        let image = try photo()
        let pipeline = TransformPipeline([RandomCrop(32)], normalize: .imageNet, erasing: RandomErasing(probability: 1))
        var random = SeededRandom(seed: 2), replay = SeededRandom(seed: 2)
        let output = try pipeline.apply(image, random: &random)
        let cropped = try RandomCrop(32).apply(image, random: &replay)
        let box = try XCTUnwrap(RandomErasing(probability: 1).box(width: 32, height: 32, random: &replay))
        for channel in 0..<3 {
            for row in 0..<32 {
                for column in 0..<32 {
                    let value = output.values[(channel * 32 + row) * 32 + column]
                    let inside = (box.top..<box.top + box.height).contains(row) && (box.left..<box.left + box.width).contains(column)
                    let byte = Float(cropped.pixels[(row * 32 + column) * 3 + channel])
                    let expected = inside ? 0 : (byte / 255 - Normalize.imageNet.mean[channel]) / Normalize.imageNet.std[channel]
                    XCTAssertEqual(value, expected, accuracy: 1e-5)
                }
            }
        }
    }

    func testPresetsComposeTheDocumentedSteps() throws {
        func kinds(_ pipeline: TransformPipeline) -> [String] { pipeline.steps.map { String(describing: type(of: $0)) } }
        func train(_ preset: AugmentationPreset, flip: Bool = true) throws -> TransformPipeline {
            try .trainTransform(inputSize: 32, resizeSize: 40, augmentation: preset, flip: flip)
        }
        XCTAssertEqual(kinds(try .trainTransform(inputSize: 32, resizeSize: 40)), ["Resize", "RandomCrop", "RandomHorizontalFlip"], "default = light")
        XCTAssertEqual(kinds(try train(.none)), ["Resize", "CenterCrop"])
        XCTAssertEqual(kinds(try train(.none, flip: true)), ["Resize", "CenterCrop"], "none never flips")
        XCTAssertEqual(kinds(try train(.light)), ["Resize", "RandomCrop", "RandomHorizontalFlip"])
        XCTAssertEqual(kinds(try train(.light, flip: false)), ["Resize", "RandomCrop"])
        XCTAssertEqual(kinds(try train(.standard)), ["RandomResizedCrop", "RandomHorizontalFlip", "TrivialAugmentWide"])
        XCTAssertEqual(kinds(try train(.strong)), ["RandomResizedCrop", "RandomHorizontalFlip", "RandAugment"])
        XCTAssertEqual(kinds(try train(.strong, flip: false)), ["RandomResizedCrop", "RandAugment"])
        XCTAssertEqual(try train(.strong).erasing, RandomErasing(probability: 0.25))
        XCTAssertNil(try train(.standard).erasing)
        // Reduced JPEG decoding stays valid: only pipelines that start with the downscaling Resize allow it.
        XCTAssertEqual(try train(.none).minimumDecodedShorterSide, 40)
        XCTAssertEqual(try train(.light).minimumDecodedShorterSide, 40)
        XCTAssertNil(try train(.standard).minimumDecodedShorterSide)
        XCTAssertNil(try train(.strong).minimumDecodedShorterSide)
        XCTAssertEqual(AugmentationPreset.validNames, "none, light, standard, strong")
    }

    func testEveryPresetGivesTheInputSizeAndLightKeepsTheFusedResizeCrop() throws {
        let image = try ImageDecoder.decodeFile(atPath: ReferenceFixtures.photos + "/coffee.png")
        for preset in AugmentationPreset.allCases {
            let pipeline = try TransformPipeline.trainTransform(inputSize: 32, resizeSize: 40, augmentation: preset)
            for index in 0..<4 {
                var random = SeededRandom(seed: 1, epoch: 0, index: index)
                let output = try pipeline.apply(image, random: &random)
                XCTAssertEqual([output.channels, output.height, output.width], [3, 32, 32], "\(preset)")
                XCTAssertTrue(output.values.allSatisfy(\.isFinite))
            }
        }
        let light = try TransformPipeline.trainTransform(inputSize: 32, resizeSize: 40, augmentation: .light)
        for index in 0..<6 {
            var fused = SeededRandom(seed: 4, epoch: 0, index: index), stepwise = fused
            var separate = image
            for step in light.steps { separate = try step.apply(separate, random: &stepwise) }
            XCTAssertEqual(try light.transformImage(image, random: &fused), separate, "fused Resize + RandomCrop equals the steps in turn")
        }
    }

    func testNoFlipNeverFlips() throws {
        // A square photo resized to the crop size makes the crop the identity: every output is the resized photo,
        // or its mirror image when flipped.
        var random = SeededRandom(seed: 0)
        let square = try Resize(height: 48, width: 48).apply(try photo(), random: &random)
        let resized = try Resize(shorterSide: 40).apply(square, random: &random)
        let mirrored = resized.flippedHorizontally()
        XCTAssertNotEqual(resized, mirrored)
        for flip in [false, true] {
            let pipeline = try TransformPipeline.trainTransform(inputSize: 40, resizeSize: 40, augmentation: .light, flip: flip)
            var flips = 0
            for index in 0..<64 {
                var random = SeededRandom(seed: 9, epoch: 0, index: index)
                let output = try pipeline.transformImage(square, random: &random)
                XCTAssertTrue(output == resized || output == mirrored)
                if output == mirrored { flips += 1 }
            }
            if flip {
                XCTAssertTrue((16...48).contains(flips), "flip rate \(flips)/64")
            } else {
                XCTAssertEqual(flips, 0, "flip: false must never flip")
            }
        }
    }

    func testNonsenseParametersGiveImagesNotCrashes() throws {
        let image = try photo()
        let outputs = [
            image.rotated(degrees: .nan), image.rotated(degrees: .infinity), image.rotated(degrees: -450),
            image.affine(angle: 0, translate: (0, 0), scale: 0, shear: (0, 0)),
            image.affine(angle: 1e300, translate: (Int.max / 4, 0), scale: 1, shear: (90, 0)),
            image.adjustedBrightness(.nan), image.adjustedContrast(.infinity), image.adjustedSharpness(-1e30),
            image.posterized(bits: 12), image.posterized(bits: -3), image.solarized(threshold: .nan),
            AugmentationOperation.translateX.apply(image, magnitude: .infinity),
        ]
        for output in outputs { XCTAssertEqual([output.width, output.height], [image.width, image.height]) }
        XCTAssertEqual(image.rotated(degrees: -450), image.rotated(degrees: 270))
        var planes = [Float](repeating: 1, count: 3 * 4 * 5)
        planes.withUnsafeMutableBufferPointer {
            RandomErasing().erase(RandomErasing.Box(top: 3, left: -2, height: -7, width: 40), in: $0, channels: 3, width: 5, height: 4)
        }
        XCTAssertEqual(Set(planes), [1], "an empty box erases nothing")
        XCTAssertTrue(MagnitudeRange.linspace(0, 1, count: 1, signed: true).bins.isEmpty)
        XCTAssertTrue(MagnitudeRange.posterize(count: 0, levels: 4).bins.isEmpty)
        var random = SeededRandom(seed: 1)
        XCTAssertEqual(TrivialAugmentWide(binCount: 1).draw(random: &random).operation, .identity)
        XCTAssertTrue(RandAugment(magnitude: 40).draw(width: 8, height: 8, random: &random).isEmpty)
    }
}
