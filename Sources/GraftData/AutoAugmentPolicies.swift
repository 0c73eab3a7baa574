/// torchvision 0.14's `TrivialAugmentWide`: one operation drawn uniformly from 14, with a magnitude drawn uniformly
/// from its `binCount` bins and a random sign where the operation is signed. Draws only from the generator passed in
/// (operation, then bin, then sign, each only when needed, in torchvision's order).
public struct TrivialAugmentWide: ImageTransform {
    /// Number of magnitude bins (torchvision's default 31).
    public let binCount: Int
    /// The "wide" search space: each operation's bins, in torchvision's table order.
    public let space: [(operation: AugmentationOperation, magnitudes: MagnitudeRange)]

    /// The policy with `binCount` magnitude bins.
    public init(binCount: Int = 31) {
        self.binCount = binCount
        space = binCount >= 2 ? Self.space(binCount: binCount) : []
    }

    private static func space(binCount: Int) -> [(operation: AugmentationOperation, magnitudes: MagnitudeRange)] {
        [(.identity, .none),
         (.shearX, .linspace(0, 0.99, count: binCount, signed: true)),
         (.shearY, .linspace(0, 0.99, count: binCount, signed: true)),
         (.translateX, .linspace(0, 32, count: binCount, signed: true)),
         (.translateY, .linspace(0, 32, count: binCount, signed: true)),
         (.rotate, .linspace(0, 135, count: binCount, signed: true)),
         (.brightness, .linspace(0, 0.99, count: binCount, signed: true)),
         (.color, .linspace(0, 0.99, count: binCount, signed: true)),
         (.contrast, .linspace(0, 0.99, count: binCount, signed: true)),
         (.sharpness, .linspace(0, 0.99, count: binCount, signed: true)),
         (.posterize, .posterize(count: binCount, levels: 6)),
         (.solarize, .linspace(255, 0, count: binCount, signed: false)),
         (.autoContrast, .none),
         (.equalize, .none)]
    }

    /// The operation and signed magnitude this policy picks with `random` (identity for fewer than 2 bins).
    public func draw(random: inout SeededRandom) -> (operation: AugmentationOperation, magnitude: Double) {
        guard !space.isEmpty else { return (.identity, 0) }
        let (operation, range) = space[random.nextInt(below: space.count)]
        var magnitude = range.bins.isEmpty ? 0 : range.bins[random.nextInt(below: range.bins.count)]
        if range.signed, random.nextInt(below: 2) == 1 { magnitude = -magnitude }
        return (operation, magnitude)
    }

    /// Applies the transform (see the type's description).
    public func apply(_ image: Image, random: inout SeededRandom) throws -> Image {
        guard binCount >= 2 else { throw DataError.invalidTransform("TrivialAugmentWide needs at least 2 magnitude bins (got \(binCount))") }
        let (operation, magnitude) = draw(random: &random)
        return operation.apply(image, magnitude: magnitude)
    }
}

/// torchvision 0.14's `RandAugment`: `operationCount` operations drawn uniformly (with repetition) from 14, each at
/// the fixed bin `magnitude` of `binCount` and with a random sign where signed.
public struct RandAugment: ImageTransform {
    /// Operations applied in turn.
    public let operationCount: Int
    /// The magnitude bin used by every operation, 0..<binCount.
    public let magnitude: Int
    /// Number of magnitude bins.
    public let binCount: Int

    /// torchvision's defaults: 2 operations at magnitude 9 of 31 bins.
    public init(operationCount: Int = 2, magnitude: Int = 9, binCount: Int = 31) {
        self.operationCount = operationCount
        self.magnitude = magnitude
        self.binCount = binCount
    }

    /// The search space for a `width`×`height` image (translations scale with the image), in torchvision's order.
    public func space(width: Int, height: Int) -> [(operation: AugmentationOperation, magnitudes: MagnitudeRange)] {
        [(.identity, .none),
         (.shearX, .linspace(0, 0.3, count: binCount, signed: true)),
         (.shearY, .linspace(0, 0.3, count: binCount, signed: true)),
         (.translateX, .linspace(0, 150.0 / 331.0 * Double(width), count: binCount, signed: true)),
         (.translateY, .linspace(0, 150.0 / 331.0 * Double(height), count: binCount, signed: true)),
         (.rotate, .linspace(0, 30, count: binCount, signed: true)),
         (.brightness, .linspace(0, 0.9, count: binCount, signed: true)),
         (.color, .linspace(0, 0.9, count: binCount, signed: true)),
         (.contrast, .linspace(0, 0.9, count: binCount, signed: true)),
         (.sharpness, .linspace(0, 0.9, count: binCount, signed: true)),
         (.posterize, .posterize(count: binCount, levels: 4)),
         (.solarize, .linspace(255, 0, count: binCount, signed: false)),
         (.autoContrast, .none),
         (.equalize, .none)]
    }

    /// The operations and signed magnitudes this policy picks with `random` for a `width`×`height` image (none for
    /// a configuration `apply` rejects).
    public func draw(width: Int, height: Int, random: inout SeededRandom) -> [(operation: AugmentationOperation, magnitude: Double)] {
        guard binCount >= 2, (0..<binCount).contains(magnitude), operationCount >= 0 else { return [] }
        let entries = space(width: width, height: height)
        return (0..<operationCount).map { _ in
            let (operation, range) = entries[random.nextInt(below: entries.count)]
            var value = range.bins.isEmpty ? 0 : range.bins[magnitude]
            if range.signed, random.nextInt(below: 2) == 1 { value = -value }
            return (operation, value)
        }
    }

    /// Applies the transform (see the type's description).
    public func apply(_ image: Image, random: inout SeededRandom) throws -> Image {
        guard binCount >= 2, (0..<binCount).contains(magnitude), operationCount >= 0 else {
            throw DataError.invalidTransform("RandAugment needs binCount ≥ 2, magnitude in 0..<binCount and operationCount ≥ 0 "
                + "(got \(binCount), \(magnitude), \(operationCount))")
        }
        // The sizes never change: every operation keeps the image's dimensions.
        return draw(width: image.width, height: image.height, random: &random).reduce(image) { current, step in
            step.operation.apply(current, magnitude: step.magnitude)
        }
    }
}
