import Foundation
import GraftTestSupport
import XCTest
@testable import GraftData

final class BadInputTests: XCTestCase {
    func testDecoderErrorsNameTheFileAndReason() throws {
        let root = try makeTemporaryDirectory(self)
        XCTAssertThrowsError(try ImageDecoder.decodeFile(atPath: root + "/missing.jpg")) { error in
            XCTAssertEqual("\(error)", "`\(root)/missing.jpg`: cannot read file (No such file or directory)")
        }
        try writeFile(root + "/empty.png", [])
        XCTAssertThrowsError(try ImageDecoder.decodeFile(atPath: root + "/empty.png")) {
            XCTAssertEqual($0 as? DataError, .emptyFile(path: root + "/empty.png"))
        }
        XCTAssertThrowsError(try ImageDecoder.decode(Array("<html>".utf8), path: "images/cat/003.jpg")) {
            XCTAssertEqual("\($0)", "`images/cat/003.jpg`: not a JPEG or PNG (first bytes 3C 68 74 6D)")
        }
        XCTAssertThrowsError(try ImageDecoder.decodeFile(atPath: root)) { XCTAssertTrue("\($0)".contains("not a regular file"), "\($0)") }
    }

    func testTruncatedImagesAreErrors() throws {
        XCTAssertThrowsError(try ImageDecoder.decode(try photoBytes("truncated.jpg"), path: "truncated.jpg")) { error in
            guard case DataError.corruptImage(_, "JPEG", let reason) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(reason.hasPrefix("truncated"), reason)
        }
        let jpeg = try photoBytes("rocket.jpg")
        XCTAssertThrowsError(try ImageDecoder.decode(Array(jpeg.prefix(jpeg.count * 2 / 3)), path: "cut.jpg")) { error in
            guard case DataError.corruptImage(_, "JPEG", let reason) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(reason.hasPrefix("truncated: Premature end"), reason)
        }
        let png = try photoBytes("chelsea.png")
        XCTAssertThrowsError(try ImageDecoder.decode(Array(png.prefix(png.count / 2)), path: "half.png")) { error in
            guard case DataError.corruptImage(_, "PNG", let reason) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(reason.contains("truncated"), reason)
        }
    }

    func testDamagedBytesNeverCrash() throws {
        for name in ["rocket.jpg", "coffee.png"] {
            let original = try photoBytes(name)
            var random = SeededRandom(seed: 99)
            var failures = 0
            for trial in 0..<40 {
                var bytes = Array(original.prefix(max(3, original.count * trial / 40)))
                for _ in 0..<(trial % 4) * 5 { bytes[random.nextInt(below: bytes.count)] = UInt8(truncatingIfNeeded: random.next()) }
                do { _ = try ImageDecoder.decode(bytes, path: name) } catch { failures += 1 }
            }
            XCTAssertGreaterThan(failures, 30, "\(name): truncated prefixes must be rejected")
        }
    }

    func testOutOfRangeTransformParametersThrowInsteadOfTrapping() throws {
        let image = try Image(width: 4, height: 3, pixels: Array(repeating: 7, count: 36))
        var random = SeededRandom(seed: 0)
        let bad: [any ImageTransform] = [
            Resize(shorterSide: 0), Resize(shorterSide: Int.max), Resize(height: -1, width: 5), CenterCrop(0),
            CenterCrop(Int.max), RandomCrop(5), RandomResizedCrop(0),
            RandomResizedCrop(height: 2, width: 2, scale: 0.5...1, ratio: -1...1),
        ]
        for transform in bad {
            XCTAssertThrowsError(try transform.apply(image, random: &random), "\(transform)") { error in
                guard case DataError.invalidTransform = error else { return XCTFail("\(error)") }
            }
        }
        XCTAssertEqual(try RandomResizedCrop(2).apply(image, random: &random).pixels.count, 12)
        XCTAssertEqual(random.nextInt(below: 0), 0)
    }

    func testLoaderSkipsBadImagesWithWarningsAndCounts() throws {
        let root = try makeTemporaryDirectory(self)
        try writeFile(root + "/cat/good.png", try photoBytes("chelsea.png"))
        try writeFile(root + "/cat/html.jpg", Array("<html>".utf8))
        try writeFile(root + "/cat/truncated.jpg", try photoBytes("truncated.jpg"))
        try writeFile(root + "/dog/empty.png", [])
        try writeFile(root + "/dog/good.jpg", try photoBytes("rocket.jpg"))
        let dataset = try ImageFolder(root: root)
        try FileManager.default.removeItem(atPath: root + "/cat/good.png")  // missing by the time it is loaded
        let warnings = WarningLog()
        let loader = try DataLoader(dataset: dataset, transform: try .evalTransform(inputSize: 32, resizeSize: 36), batchSize: 3,
                                    shuffle: false, workers: 2, warn: { warnings.append($0) })
        let batches = loader.batches(epoch: 0)
        var images = 0
        while let batch = try batches.next() { images += batch.count }
        XCTAssertEqual(images, 1)
        XCTAssertEqual(batches.skipped.count, 4)
        XCTAssertEqual(warnings.lines.count, 4)
        XCTAssertTrue(warnings.lines.allSatisfy { $0.hasPrefix("skipped bad image: `\(root)/") && !$0.contains("\n") }, "\(warnings.lines)")
        XCTAssertTrue(warnings.lines.contains { $0.contains("truncated.jpg`: damaged JPEG (truncated") })

        let strict = try DataLoader(dataset: dataset, transform: try .evalTransform(inputSize: 32, resizeSize: 36), batchSize: 3,
                                    shuffle: false, workers: 2, badImagePolicy: .error)
        XCTAssertThrowsError(try strict.batches(epoch: 0).next()) { error in
            XCTAssertTrue("\(error)".hasPrefix("`\(root)/cat/good.png`: cannot read file"), "\(error)")
        }
    }

    func testSyntheticFailuresFollowThePolicyWithoutWorkers() throws {
        let dataset = SyntheticDataset(count: 6, failing: [2])
        let transform = TransformPipeline([CenterCrop(16)], normalize: nil)
        let skipping = try DataLoader(dataset: dataset, transform: transform, batchSize: 3, shuffle: false, workers: 0)
        let batches = skipping.batches(epoch: 0)
        XCTAssertEqual(try batches.next()?.sampleIndices, [0, 1])
        XCTAssertEqual(batches.skipped, [SkippedSample(name: "synthetic/2.png", reason: "`synthetic/2.png`: damaged PNG (synthetic failure)")])
        let failing = try DataLoader(dataset: dataset, transform: transform, batchSize: 3, shuffle: false, workers: 0, badImagePolicy: .error)
        XCTAssertThrowsError(try failing.batches(epoch: 0).next())
    }
}

/// Collects warnings from the loader's callback.
final class WarningLog: @unchecked Sendable {
    // @unchecked: `storage` is only touched under `lock`.
    private var storage: [String] = []
    private let lock = NSLock()

    func append(_ line: String) { lock.lock(); storage.append(line); lock.unlock() }
    var lines: [String] { lock.lock(); defer { lock.unlock() }; return storage }
}
