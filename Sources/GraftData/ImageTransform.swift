/// One step of an image pipeline working on 8-bit RGB; random steps draw only from the generator passed in.
public protocol ImageTransform: Sendable {
    /// Returns the transformed image.
    func apply(_ image: Image, random: inout SeededRandom) throws -> Image
}

/// Resize matching torchvision 0.14's PIL path (`Image.resize(..., BILINEAR or BICUBIC)`, antialiased when shrinking).
public struct Resize: ImageTransform {
    /// The requested size: a shorter side (aspect ratio kept) or an exact height and width.
    public enum Size: Sendable, Equatable {
        case shorterSide(Int)
        case exact(height: Int, width: Int)
    }

    /// The requested size.
    public let size: Size
    /// The resampling filter.
    public let interpolation: Interpolation

    /// Resizes so the shorter side becomes `shorterSide`, like `torchvision.transforms.Resize(int, interpolation)`.
    public init(shorterSide: Int, interpolation: Interpolation = .bilinear) {
        size = .shorterSide(shorterSide)
        self.interpolation = interpolation
    }

    /// Resizes to exactly `height`×`width`, like `torchvision.transforms.Resize((h, w), interpolation)`.
    public init(height: Int, width: Int, interpolation: Interpolation = .bilinear) {
        size = .exact(height: height, width: width)
        self.interpolation = interpolation
    }

    /// The output size for an input of `width`×`height` (torchvision's rule: the long side is truncated);
    /// nil when a side would fall outside 1...`Image.maximumSide`.
    public func outputSize(width: Int, height: Int) -> (width: Int, height: Int)? {
        guard width > 0, height > 0 else { return nil }
        let target: (width: Int, height: Int)
        switch size {
        case let .exact(height: targetHeight, width: targetWidth):
            target = (targetWidth, targetHeight)
        case let .shorterSide(shorter):
            let (short, long) = width <= height ? (width, height) : (height, width)
            let newLong = (Double(shorter) * Double(long) / Double(short)).rounded(.towardZero)
            guard newLong >= 1, newLong <= Double(Image.maximumSide) else { return nil }
            target = width <= height ? (shorter, Int(newLong)) : (Int(newLong), shorter)
        }
        let allowed = 1...Image.maximumSide
        return allowed.contains(target.width) && allowed.contains(target.height) ? target : nil
    }

    /// The shorter side a decoder must at least deliver for this resize not to upscale.
    var minimumDecodedShorterSide: Int {
        switch size {
        case let .shorterSide(shorter): return shorter
        case let .exact(height, width): return max(height, width)
        }
    }

    /// Applies the transform (see the type's description).
    public func apply(_ image: Image, random: inout SeededRandom) throws -> Image {
        let target = try checkedOutputSize(image)
        return Resample.resize(image, width: target.width, height: target.height, filter: interpolation)
    }

    /// Resize followed by `crop`, computing only the cropped pixels (identical to applying both in turn).
    func apply(_ image: Image, thenCrop crop: some BoxCrop, random: inout SeededRandom) throws -> Image {
        let target = try checkedOutputSize(image)
        let box = try crop.box(width: target.width, height: target.height, random: &random)
        let inside = box.left >= 0 && box.top >= 0 && box.left + box.width <= target.width && box.top + box.height <= target.height
        guard inside else {
            return Resample.resize(image, width: target.width, height: target.height, filter: interpolation)
                .cropped(left: box.left, top: box.top, width: box.width, height: box.height)
        }
        return Resample.resize(image, width: target.width, height: target.height, region: box, filter: interpolation)
    }

    private func checkedOutputSize(_ image: Image) throws -> (width: Int, height: Int) {
        guard let target = outputSize(width: image.width, height: image.height) else {
            throw DataError.invalidTransform("cannot resize a \(image.width)×\(image.height) image with \(size): sides must be 1...\(Image.maximumSide)")
        }
        return target
    }
}

/// Mirrors the image left-right with probability `probability`.
public struct RandomHorizontalFlip: ImageTransform {
    /// Chance of flipping, 0...1.
    public let probability: Double

    /// A flip applied with the given probability (torchvision's default is 0.5).
    public init(probability: Double = 0.5) { self.probability = probability }

    /// Applies the transform (see the type's description).
    public func apply(_ image: Image, random: inout SeededRandom) throws -> Image {
        random.nextUnit() < probability ? image.flippedHorizontally() : image
    }
}

/// Mirrors the image left-right, always (torchvision's `F.hflip`); test-time augmentation's flipped views.
public struct HorizontalFlip: ImageTransform {
    /// A deterministic flip.
    public init() {}

    /// Applies the transform (see the type's description).
    public func apply(_ image: Image, random: inout SeededRandom) throws -> Image { image.flippedHorizontally() }
}

extension Image {
    /// The region `box` of the image (black where it extends outside).
    func cropped(to box: Resample.Region) -> Image {
        cropped(left: box.left, top: box.top, width: box.width, height: box.height)
    }

    /// The region `width`×`height` at (`left`, `top`); parts outside the image are black, as in PIL's `crop`.
    public func cropped(left: Int, top: Int, width: Int, height: Int) -> Image {
        if left == 0, top == 0, width == self.width, height == self.height { return self }
        return pixels.withUnsafeBufferPointer { input in
            Image(width: width, height: height) { output in
                output.initialize(repeating: 0)
                let firstColumn = max(0, -left), lastColumn = min(width, self.width - left)
                let firstRow = max(0, -top), lastRow = min(height, self.height - top)
                guard firstColumn < lastColumn, firstRow < lastRow else { return }
                for row in firstRow..<lastRow {
                    let from = ((row + top) * self.width + left + firstColumn) * 3
                    let to = (row * width + firstColumn) * 3
                    let span = (lastColumn - firstColumn) * 3
                    output.baseAddress!.advanced(by: to).update(from: input.baseAddress!.advanced(by: from), count: span)
                }
            }
        }
    }

    /// The image mirrored left-right.
    public func flippedHorizontally() -> Image {
        pixels.withUnsafeBufferPointer { input in
            Image(width: width, height: height) { output in
                for row in 0..<height {
                    let base = row * width * 3
                    for column in 0..<width {
                        let from = base + (width - 1 - column) * 3, to = base + column * 3
                        output[to] = input[from]
                        output[to + 1] = input[from + 1]
                        output[to + 2] = input[from + 2]
                    }
                }
            }
        }
    }
}
