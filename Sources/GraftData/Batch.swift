/// What to do with an image that cannot be read, decoded or transformed.
public enum BadImagePolicy: String, Sendable {
    /// Leave it out of its batch, report a one-line warning and count it.
    case skip
    /// Stop: the loader throws the error naming the file.
    case error
}

/// A sample left out under `BadImagePolicy.skip`.
public struct SkippedSample: Sendable, Equatable {
    /// The sample's name (its path for file datasets).
    public let name: String
    /// Why it was skipped.
    public let reason: String

    /// Records a skipped sample.
    public init(name: String, reason: String) {
        self.name = name
        self.reason = reason
    }
}

/// One batch: images as a contiguous N×3×H×W float buffer (ready for a single copy into a tensor) and int64 labels.
public struct Batch: Sendable {
    /// Position of the batch in its epoch.
    public let index: Int
    /// `count * 3 * height * width` floats, sample after sample, each in CHW order.
    public let images: [Float]
    /// One label per image.
    public let labels: [Int64]
    /// Dataset indices of the images, in batch order.
    public let sampleIndices: [Int]
    /// Image height.
    public let height: Int
    /// Image width.
    public let width: Int
    /// Samples of this batch that were skipped as bad input.
    public let skipped: [SkippedSample]
    private(set) var failureBox: FailureBox?

    /// The error that ended a `for batch in loader` loop (then the batch is empty and `tensors()` throws it).
    public var failure: (any Error)? { failureBox?.error }

    /// Number of images (may be below the batch size at the epoch end or after skips).
    public var count: Int { labels.count }
    /// `[count, 3, height, width]`.
    public var shape: [Int] { [count, 3, height, width] }

    /// A batch of `images` (CHW floats, sample after sample) and `labels`.
    public init(index: Int, images: [Float], labels: [Int64], sampleIndices: [Int], height: Int, width: Int, skipped: [SkippedSample] = []) {
        self.index = index
        self.images = images
        self.labels = labels
        self.sampleIndices = sampleIndices
        self.height = height
        self.width = width
        self.skipped = skipped
        failureBox = nil
    }

    /// An empty batch standing for `error`.
    init(failure error: any Error) {
        self.init(index: -1, images: [], labels: [], sampleIndices: [], height: 0, width: 0)
        failureBox = FailureBox(error: error)
    }

    /// Copies the images into caller-owned memory (e.g. a tensor's storage) of at least `images.count` floats.
    public func copyImages(into destination: UnsafeMutableBufferPointer<Float>) throws {
        guard destination.count >= images.count else {
            throw DataError.invalidArgument("destination holds \(destination.count) floats, batch needs \(images.count)")
        }
        _ = destination.update(fromContentsOf: images)
    }
}

/// Carries a loader's error inside a `Sendable` batch; the error is only read, never mutated.
final class FailureBox: @unchecked Sendable {
    let error: any Error

    init(error: any Error) { self.error = error }
}
