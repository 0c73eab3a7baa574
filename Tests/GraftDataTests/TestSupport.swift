import Foundation
import GraftTestSupport
import XCTest
@testable import GraftData

/// The bytes of a skimage photo, or an XCTSkip when python3-skimage is not installed.
func photoBytes(_ name: String) throws -> [UInt8] {
    let path = ReferenceFixtures.photos + "/" + name
    guard let data = FileManager.default.contents(atPath: path) else {
        throw Prerequisite.missing("\(path) missing (Debian python3-skimage): test skipped")
    }
    return [UInt8](data)
}

/// An in-memory dataset of procedurally drawn images, optionally with failing samples.
struct SyntheticDataset: ImageDataset {
    let count: Int
    let classes = ["even", "odd"]
    var failing: Set<Int> = []
    var loads: LoadCounter?

    func label(at index: Int) -> Int { index % 2 }
    func sampleName(at index: Int) -> String { "synthetic/\(index).png" }

    func loadImage(at index: Int, minimumShorterSide: Int?) throws -> Image {
        loads?.increment()
        if failing.contains(index) { throw DataError.corruptImage(path: sampleName(at: index), format: "PNG", reason: "synthetic failure") }
        let width = 48 + index % 5, height = 40 + index % 3
        let pixels = (0..<(width * height * 3)).map { UInt8(truncatingIfNeeded: $0 &* (index + 7) >> 2) }
        return try Image(width: width, height: height, pixels: pixels)
    }
}

/// Counts calls from several threads.
final class LoadCounter: @unchecked Sendable {
    // @unchecked: `value` is only touched under `lock`.
    private var value = 0
    private let lock = NSLock()

    func increment() { lock.lock(); value += 1; lock.unlock() }
    var count: Int { lock.lock(); defer { lock.unlock() }; return value }
}
