extension TransformPipeline {
    /// Training preprocessing: the `augmentation` preset's steps (by default Resize(shorter side `resizeSize`) →
    /// RandomCrop(`inputSize`) → horizontal flip; `flip: false` drops the flip; resizing with `interpolation`) → normalize with `mean`/`std`
    /// (ImageNet's by default) → the preset's random erasing, if any. JPEGs at least twice `resizeSize` are decoded
    /// at 1/2, 1/4 or 1/8 scale when the pipeline starts with that Resize, unless `allowsReducedDecoding` is false
    /// (presets starting with RandomResizedCrop always decode at full size). Throws for statistics that are not
    /// 3 means and 3 positive stds.
    public static func trainTransform(inputSize: Int = 224, resizeSize: Int = 256, mean: [Float] = Normalize.imageNet.mean,
                                      std: [Float] = Normalize.imageNet.std, allowsReducedDecoding: Bool = true,
                                      augmentation: AugmentationPreset = .light, flip: Bool = true,
                                      interpolation: Interpolation = .bilinear) throws -> TransformPipeline {
        TransformPipeline(augmentation.steps(inputSize: inputSize, resizeSize: resizeSize, flip: flip, interpolation: interpolation),
                          normalize: try Normalize(mean: mean, std: std), erasing: augmentation.erasing,
                          allowsReducedDecoding: allowsReducedDecoding)
    }

    /// Evaluation preprocessing: Resize(shorter side `resizeSize`, `interpolation`) → CenterCrop(`inputSize`) → normalize
    /// with `mean`/`std`.
    /// Decodes JPEGs at full size by default so evaluation matches torchvision exactly; `allowsReducedDecoding: true`
    /// trades that for speed (about 1.5 grey levels mean difference on a photo decoded at 1/2).
    public static func evalTransform(inputSize: Int = 224, resizeSize: Int = 256, mean: [Float] = Normalize.imageNet.mean,
                                     std: [Float] = Normalize.imageNet.std, allowsReducedDecoding: Bool = false,
                                     interpolation: Interpolation = .bilinear) throws -> TransformPipeline {
        TransformPipeline([Resize(shorterSide: resizeSize, interpolation: interpolation), CenterCrop(inputSize)],
                          normalize: try Normalize(mean: mean, std: std), allowsReducedDecoding: allowsReducedDecoding)
    }
}

/// Detects preprocessing statistics that differ from those a pretrained model was trained with.
public enum NormalizationCheck {
    /// Largest per-channel difference still considered the same statistics.
    public static let tolerance: Float = 1e-4

    /// A warning naming both statistics when they differ, nil when they match.
    public static func compare(used: Normalize, expected: Normalize) -> String? {
        let differs = zip(used.mean + used.std, expected.mean + expected.std).contains { abs($0 - $1) > tolerance }
        guard differs else { return nil }
        return "normalization mean \(used.mean) std \(used.std) differs from the model's pretrained mean \(expected.mean) std \(expected.std); transfer learning usually suffers"
    }

    /// Passes the warning from `compare` to `warn` when the statistics differ.
    public static func warnIfMismatched(used: Normalize, expected: Normalize, warn: (String) -> Void) {
        if let message = compare(used: used, expected: expected) { warn(message) }
    }
}
