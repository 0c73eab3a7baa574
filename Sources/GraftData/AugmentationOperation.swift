import Foundation

/// One operation of torchvision 0.14's automatic augmentation policies (`autoaugment._apply_op`), with the same
/// meaning of its magnitude, applied as on a PIL image (nearest-neighbour, black fill).
public enum AugmentationOperation: String, CaseIterable, Sendable {
    case identity, shearX, shearY, translateX, translateY, rotate, brightness, color, contrast, sharpness
    case posterize, solarize, autoContrast, equalize

    /// Applies the operation with `magnitude` as torchvision's `_apply_op` interprets it: a shear factor (its
    /// arctangent is the angle), pixels (truncated), degrees, an enhancement offset from 1, bits (truncated) or a
    /// solarize threshold; ignored by identity, autoContrast and equalize.
    public func apply(_ image: Image, magnitude: Double) -> Image {
        switch self {
        case .identity: return image
        case .shearX:
            return image.affine(angle: 0, translate: (0, 0), scale: 1, shear: (atan(magnitude) * Image.radiansToDegrees, 0), center: (0, 0))
        case .shearY:
            return image.affine(angle: 0, translate: (0, 0), scale: 1, shear: (0, atan(magnitude) * Image.radiansToDegrees), center: (0, 0))
        case .translateX: return image.affine(angle: 0, translate: (Self.truncated(magnitude), 0), scale: 1, shear: (0, 0))
        case .translateY: return image.affine(angle: 0, translate: (0, Self.truncated(magnitude)), scale: 1, shear: (0, 0))
        case .rotate: return image.rotated(degrees: magnitude)
        case .brightness: return image.adjustedBrightness(1 + magnitude)
        case .color: return image.adjustedSaturation(1 + magnitude)
        case .contrast: return image.adjustedContrast(1 + magnitude)
        case .sharpness: return image.adjustedSharpness(1 + magnitude)
        case .posterize: return image.posterized(bits: Self.truncated(magnitude))
        case .solarize: return image.solarized(threshold: magnitude)
        case .autoContrast: return image.autocontrasted()
        case .equalize: return image.equalized()
        }
    }

    /// Python's `int(x)` for the magnitudes that are pixel counts or bit depths.
    private static func truncated(_ value: Double) -> Int {
        value.isFinite ? Int(max(min(value, 1e9), -1e9)) : 0
    }
}

/// The magnitudes an operation can take in a policy's search space, and whether a random sign is applied.
public struct MagnitudeRange: Sendable, Equatable {
    /// The bins' magnitudes (empty for operations without a magnitude).
    public let bins: [Double]
    /// Whether the magnitude is negated with probability 1/2.
    public let signed: Bool

    /// An operation without magnitude.
    public static let none = MagnitudeRange(bins: [], signed: false)

    /// `torch.linspace(start, end, count)` in float32, bit for bit as PyTorch 1.13's CPU kernel computes it: values
    /// before the halfway point count from the start, later ones from the end; whole blocks of 16 come from two
    /// 8-wide vector `arange`s (block base, then `base + j·step` rounded twice), the rest from the scalar path,
    /// which the compiler fuses into one multiply-add.
    /// Fewer than 2 bins give no magnitudes.
    public static func linspace(_ start: Double, _ end: Double, count: Int, signed: Bool) -> MagnitudeRange {
        guard count >= 2 else { return .none }
        let (from, to) = (Float(start), Float(end))
        let step = (to - from) / Float(count - 1)
        let halfway = count / 2, vectorized = count / 16 * 16
        func fused(_ index: Int) -> Float {
            index < halfway ? from.addingProduct(step, Float(index)) : to.addingProduct(-step, Float(count - index - 1))
        }
        let values = (0..<count).map { index -> Double in
            guard index < vectorized else { return Double(fused(index)) }
            let blockStart = index / 8 * 8
            return Double(fused(blockStart) + step * Float(index - blockStart))
        }
        return MagnitudeRange(bins: values, signed: signed)
    }

    /// torchvision's posterize bins: `8 - (arange(count) / ((count - 1) / levels)).round().int()`; fewer than 2 bins
    /// or a non-positive `levels` give no magnitudes.
    public static func posterize(count: Int, levels: Double) -> MagnitudeRange {
        guard count >= 2, levels > 0, levels.isFinite else { return .none }
        let divisor = Float(Double(count - 1) / levels)
        return MagnitudeRange(bins: (0..<count).map { Double(8 - Int((Float($0) / divisor).rounded(.toNearestOrEven))) }, signed: false)
    }
}
