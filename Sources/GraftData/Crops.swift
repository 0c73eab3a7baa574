import Foundation

/// A crop whose box is known from the input size alone, so a preceding `Resize` can compute just that box.
protocol BoxCrop: ImageTransform {
    /// The crop rectangle for an input of `width`×`height` (may extend outside it: that part is black).
    func box(width: Int, height: Int, random: inout SeededRandom) throws -> Resample.Region
}

/// Crops the centre `height`×`width`, zero-padding small images, like torchvision 0.14's `CenterCrop`.
public struct CenterCrop: BoxCrop {
    /// Output height.
    public let height: Int
    /// Output width.
    public let width: Int

    /// A square centre crop.
    public init(_ size: Int) { self.init(height: size, width: size) }

    /// A rectangular centre crop.
    public init(height: Int, width: Int) {
        self.height = height
        self.width = width
    }

    /// Applies the transform (see the type's description).
    public func apply(_ image: Image, random: inout SeededRandom) throws -> Image {
        image.cropped(to: try box(width: image.width, height: image.height, random: &random))
    }

    func box(width imageWidth: Int, height imageHeight: Int, random: inout SeededRandom) throws -> Resample.Region {
        guard (1...Image.maximumSide).contains(height), (1...Image.maximumSide).contains(width) else {
            throw DataError.invalidTransform("center crop size \(height)×\(width) must be 1...\(Image.maximumSide)")
        }
        return Resample.Region(left: Self.offset(imageWidth, width), top: Self.offset(imageHeight, height), width: width, height: height)
    }

    /// torchvision's placement: `round((size - crop) / 2)` with Python's half-to-even rounding, or the left
    /// padding `(crop - size) // 2` when the crop is larger.
    static func offset(_ size: Int, _ crop: Int) -> Int {
        if crop > size { return -((crop - size) / 2) }
        return Int((Double(size - crop) / 2).rounded(.toNearestOrEven))
    }
}

/// Crops a random `height`×`width` window, like `torchvision.transforms.RandomCrop(size)` without padding.
public struct RandomCrop: BoxCrop {
    /// Output height.
    public let height: Int
    /// Output width.
    public let width: Int

    /// A square random crop.
    public init(_ size: Int) { self.init(height: size, width: size) }

    /// A rectangular random crop.
    public init(height: Int, width: Int) {
        self.height = height
        self.width = width
    }

    /// Applies the transform (see the type's description).
    public func apply(_ image: Image, random: inout SeededRandom) throws -> Image {
        image.cropped(to: try box(width: image.width, height: image.height, random: &random))
    }

    func box(width imageWidth: Int, height imageHeight: Int, random: inout SeededRandom) throws -> Resample.Region {
        guard height > 0, width > 0, imageHeight >= height, imageWidth >= width else {
            throw DataError.invalidTransform("random crop \(height)×\(width) is larger than the \(imageHeight)×\(imageWidth) image; resize first")
        }
        let top = random.nextInt(below: imageHeight - height + 1)
        let left = random.nextInt(below: imageWidth - width + 1)
        return Resample.Region(left: left, top: top, width: width, height: height)
    }
}

/// torchvision's `RandomResizedCrop`: a random area fraction and aspect ratio (10 attempts, then a centre
/// crop clamped to the ratio range), resized to `height`×`width` (bilinear unless told otherwise).
public struct RandomResizedCrop: ImageTransform {
    /// Output height.
    public let height: Int
    /// Output width.
    public let width: Int
    /// Range of the crop's area as a fraction of the image.
    public let scale: ClosedRange<Double>
    /// Range of the crop's width / height.
    public let ratio: ClosedRange<Double>
    /// The resampling filter.
    public let interpolation: Interpolation

    /// torchvision's defaults: scale 0.08...1, ratio 3/4...4/3, bilinear.
    public init(height: Int, width: Int, scale: ClosedRange<Double> = 0.08...1.0, ratio: ClosedRange<Double> = (3.0 / 4.0)...(4.0 / 3.0),
                interpolation: Interpolation = .bilinear) {
        self.height = height
        self.width = width
        self.scale = scale
        self.ratio = ratio
        self.interpolation = interpolation
    }

    /// A square output.
    public init(_ size: Int, interpolation: Interpolation = .bilinear) { self.init(height: size, width: size, interpolation: interpolation) }

    /// The crop box (left, top, width, height) torchvision's `get_params` would pick with this generator.
    public func cropBox(width imageWidth: Int, height imageHeight: Int, random: inout SeededRandom) -> (left: Int, top: Int, width: Int, height: Int) {
        let area = Double(imageWidth * imageHeight)
        let logRatio = (log(ratio.lowerBound), log(ratio.upperBound))
        for _ in 0..<10 {
            let targetArea = area * random.nextDouble(in: scale.lowerBound, scale.upperBound)
            let aspect = exp(random.nextDouble(in: logRatio.0, logRatio.1))
            // Python's round (half to even); non-finite or huge values (from a bad ratio/scale) count as misses.
            let side = { (value: Double) -> Int in value.isFinite && value < 1e9 ? Int(value.rounded(.toNearestOrEven)) : 0 }
            let cropWidth = side((targetArea * aspect).squareRoot()), cropHeight = side((targetArea / aspect).squareRoot())
            if cropWidth > 0, cropHeight > 0, cropWidth <= imageWidth, cropHeight <= imageHeight {
                let top = random.nextInt(below: imageHeight - cropHeight + 1)
                let left = random.nextInt(below: imageWidth - cropWidth + 1)
                return (left, top, cropWidth, cropHeight)
            }
        }
        let inputRatio = Double(imageWidth) / Double(imageHeight)
        var cropWidth = imageWidth, cropHeight = imageHeight
        if inputRatio < ratio.lowerBound {
            cropHeight = min(imageHeight, max(1, Int((Double(cropWidth) / ratio.lowerBound).rounded(.toNearestOrEven))))
        } else if inputRatio > ratio.upperBound {
            cropWidth = min(imageWidth, max(1, Int((Double(cropHeight) * ratio.upperBound).rounded(.toNearestOrEven))))
        }
        return ((imageWidth - cropWidth) / 2, (imageHeight - cropHeight) / 2, cropWidth, cropHeight)
    }

    /// Applies the transform (see the type's description).
    public func apply(_ image: Image, random: inout SeededRandom) throws -> Image {
        guard (1...Image.maximumSide).contains(height), (1...Image.maximumSide).contains(width) else {
            throw DataError.invalidTransform("random resized crop size \(height)×\(width) must be 1...\(Image.maximumSide)")
        }
        guard ratio.lowerBound > 0, ratio.upperBound.isFinite, scale.lowerBound >= 0, scale.upperBound.isFinite else {
            throw DataError.invalidTransform("random resized crop needs a positive finite ratio and scale, got ratio \(ratio) scale \(scale)")
        }
        let box = cropBox(width: image.width, height: image.height, random: &random)
        let region = image.cropped(left: box.left, top: box.top, width: box.width, height: box.height)
        return Resample.resize(region, width: width, height: height, filter: interpolation)
    }
}
