/// A composed preprocessing: image steps (resize, crops, flips...), then ToTensor, an optional Normalize and an
/// optional RandomErasing of the resulting floats.
public struct TransformPipeline: Sendable {
    /// The 8-bit image steps, applied in order.
    public let steps: [any ImageTransform]
    /// The normalization applied after ToTensor, or nil for plain [0, 1] values.
    public let normalize: Normalize?
    /// Random erasing of the final floats (after `normalize`, as in torchvision), or nil.
    public let erasing: RandomErasing?
    /// Whether JPEGs may be decoded at reduced DCT scale when the first step is a downscaling `Resize`.
    public let allowsReducedDecoding: Bool
    /// 3 × 256 values: the final float for each channel and byte.
    private let lookup: [Float]

    /// Composes `steps`, then ToTensor, then `normalize` and `erasing` when given.
    public init(_ steps: [any ImageTransform], normalize: Normalize?, erasing: RandomErasing? = nil, allowsReducedDecoding: Bool = true) {
        self.steps = steps
        self.normalize = normalize
        self.erasing = erasing
        self.allowsReducedDecoding = allowsReducedDecoding
        let tables = normalize?.lookupTables() ?? Array(repeating: (0...255).map { Float($0) / 255 }, count: 3)
        lookup = tables.flatMap { $0 }
    }

    /// The shorter side a decoder must keep, when reduced decoding is allowed and the pipeline starts with a Resize.
    public var minimumDecodedShorterSide: Int? {
        guard allowsReducedDecoding, let resize = steps.first as? Resize else { return nil }
        return resize.minimumDecodedShorterSide
    }

    /// Runs the 8-bit steps only.
    public func transformImage(_ image: Image, random: inout SeededRandom) throws -> Image {
        var current = image
        var position = 0
        while position < steps.count {
            // A Resize directly followed by a crop only computes the cropped pixels.
            if let resize = steps[position] as? Resize, position + 1 < steps.count, let crop = steps[position + 1] as? any BoxCrop {
                current = try resize.apply(current, thenCrop: crop, random: &random)
                position += 2
            } else {
                current = try steps[position].apply(current, random: &random)
                position += 1
            }
        }
        return current
    }

    /// Runs the whole pipeline and returns planar floats.
    public func apply(_ image: Image, random: inout SeededRandom) throws -> FloatImage {
        let final = try transformImage(image, random: &random)
        let erasure = erasureBox(for: final, random: &random)
        var values = [Float](repeating: 0, count: final.width * final.height * 3)
        values.withUnsafeMutableBufferPointer { writePlanar(final, erasing: erasure, into: $0) }
        return FloatImage(channels: 3, height: final.height, width: final.width, values: values)
    }

    /// The rectangle `erasing` picks for an already transformed image (drawn after the image steps, from the same
    /// generator); nil without erasing or when the draw erases nothing.
    func erasureBox(for image: Image, random: inout SeededRandom) -> RandomErasing.Box? {
        guard let erasing else { return nil }
        return erasing.box(width: image.width, height: image.height, random: &random)
    }

    /// Writes ToTensor + Normalize of an already transformed image into `destination` (CHW, at least 3·H·W floats),
    /// then erases `erasure` when given.
    func writePlanar(_ image: Image, erasing erasure: RandomErasing.Box? = nil, into destination: UnsafeMutableBufferPointer<Float>) {
        let plane = image.width * image.height
        precondition(destination.count >= plane * 3, "destination too small")  // callers size it from the image
        defer {
            if let erasing, let erasure { erasing.erase(erasure, in: destination, channels: 3, width: image.width, height: image.height) }
        }
        lookup.withUnsafeBufferPointer { table in
            image.pixels.withUnsafeBufferPointer { input in
                for pixel in 0..<plane {
                    destination[pixel] = table[Int(input[pixel * 3])]
                    destination[plane + pixel] = table[256 + Int(input[pixel * 3 + 1])]
                    destination[2 * plane + pixel] = table[512 + Int(input[pixel * 3 + 2])]
                }
            }
        }
    }
}
