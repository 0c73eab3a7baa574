import Foundation

/// torchvision 0.14's `RandomErasing` with a constant value: with probability `probability`, a rectangle of random
/// area fraction and aspect ratio is set to `value` in every channel.
///
/// It works on the normalised float planes (the last step of a `TransformPipeline`), as in torchvision where it
/// follows `Normalize`: `value` 0 then makes the rectangle exactly the normalisation mean. An 8-bit step painting
/// the mean colour could only approximate that, since the mean times 255 is rarely a whole grey level.
public struct RandomErasing: Sendable, Equatable {
    /// Chance of erasing, 0...1.
    public let probability: Double
    /// Range of the rectangle's area as a fraction of the image.
    public let scale: ClosedRange<Double>
    /// Range of the rectangle's aspect ratio.
    public let ratio: ClosedRange<Double>
    /// The value written into every channel.
    public let value: Float

    /// A rectangle in pixels.
    public struct Box: Sendable, Equatable {
        /// First row.
        public let top: Int
        /// First column.
        public let left: Int
        /// Rows.
        public let height: Int
        /// Columns.
        public let width: Int

        /// A rectangle at (`top`, `left`) of `height`×`width`.
        public init(top: Int, left: Int, height: Int, width: Int) {
            self.top = top
            self.left = left
            self.height = height
            self.width = width
        }
    }

    /// torchvision's defaults (p 0.5, scale 0.02...0.33, ratio 0.3...3.3, value 0).
    public init(probability: Double = 0.5, scale: ClosedRange<Double> = 0.02...0.33, ratio: ClosedRange<Double> = 0.3...3.3, value: Float = 0) {
        self.probability = probability
        self.scale = scale
        self.ratio = ratio
        self.value = value
    }

    /// Throws for a probability outside 0...1 or a scale/ratio range that is not positive and finite.
    public func validate() throws {
        guard (0...1).contains(probability), scale.lowerBound >= 0, scale.upperBound.isFinite,
              ratio.lowerBound > 0, ratio.upperBound.isFinite else {
            throw DataError.invalidTransform("random erasing needs a probability in 0...1 and a positive finite scale and ratio "
                + "(got p \(probability), scale \(scale), ratio \(ratio))")
        }
    }

    /// The rectangle torchvision's `forward`/`get_params` would erase in a `width`×`height` image with this
    /// generator: nil when the coin says no or 10 attempts find no rectangle strictly smaller than the image (always,
    /// for a scale or ratio range that `validate` rejects).
    public func box(width: Int, height: Int, random: inout SeededRandom) -> Box? {
        guard random.nextUnit() < probability else { return nil }
        let area = Double(width * height)
        let logRatio = (log(ratio.lowerBound), log(ratio.upperBound))
        for _ in 0..<10 {
            let eraseArea = area * random.nextDouble(in: scale.lowerBound, scale.upperBound)
            let aspect = exp(random.nextDouble(in: logRatio.0, logRatio.1))
            // Python's round (half to even); note torchvision takes the height from area·ratio.
            let side = { (value: Double) -> Int in value.isFinite && value < 1e9 ? Int(value.rounded(.toNearestOrEven)) : Int.max }
            let boxHeight = side((eraseArea * aspect).squareRoot()), boxWidth = side((eraseArea / aspect).squareRoot())
            guard boxHeight < height, boxWidth < width else { continue }
            let top = random.nextInt(below: height - boxHeight + 1)
            let left = random.nextInt(below: width - boxWidth + 1)
            return Box(top: top, left: left, height: boxHeight, width: boxWidth)
        }
        return nil
    }

    /// torchvision's `F.erase` with this value: `box` set to `value` in each of the `channels` planes of a CHW
    /// `width`×`height` image (the box is clipped to the image).
    public func erase(_ box: Box, in planes: UnsafeMutableBufferPointer<Float>, channels: Int, width: Int, height: Int) {
        precondition(planes.count >= channels * width * height, "planes too small")  // callers size them from the image
        let top = min(max(0, box.top), height), left = min(max(0, box.left), width)
        let rows = top..<max(top, min(height, box.top + box.height))
        let columns = left..<max(left, min(width, box.left + box.width))
        guard !rows.isEmpty, !columns.isEmpty else { return }
        for channel in 0..<channels {
            for row in rows {
                let start = (channel * height + row) * width
                UnsafeMutableBufferPointer(rebasing: planes[(start + columns.lowerBound)..<(start + columns.upperBound)]).update(repeating: value)
            }
        }
    }
}
