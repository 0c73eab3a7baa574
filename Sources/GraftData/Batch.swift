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

    /// Number of images (may be below the batch size at the epoch end or after skips).
    public var count: Int { labels.count }
    /// `[count, 3, height, width]`.
    public var shape: [Int] { [count, 3, height, width] }

    /// Copies the images into caller-owned memory (e.g. a tensor's storage) of at least `images.count` floats.
    public func copyImages(into destination: UnsafeMutableBufferPointer<Float>) throws {
        guard destination.count >= images.count else {
            throw DataError.invalidArgument("destination holds \(destination.count) floats, batch needs \(images.count)")
        }
        _ = destination.update(fromContentsOf: images)
    }
}
