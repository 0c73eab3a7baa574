/// How strongly training images are augmented; each preset is a torchvision/timm-style recipe.
public enum AugmentationPreset: String, CaseIterable, Codable, Sendable {
    /// Resize + CenterCrop, the evaluation transform: nothing random (never flipped), for data where position,
    /// orientation or colour carry the label.
    case none
    /// Resize + RandomCrop (+ horizontal flip): small shifts only.
    case light
    /// RandomResizedCrop (+ flip) + TrivialAugmentWide, torchvision's current classification recipe.
    case standard
    /// RandomResizedCrop (+ flip) + RandAugment(2, 9) + RandomErasing (p 0.25), for larger or easily overfitted data.
    case strong

    /// Chance of random erasing in `strong`: 0.25, the `--reprob` timm's published recipes use, rather than
    /// torchvision's 0.5; on top of RandAugment, erasing half of a small fine-tuning set's images removes too much.
    public static let strongErasingProbability = 0.25

    /// "none, light, standard, strong".
    public static var validNames: String { allCases.map(\.rawValue).joined(separator: ", ") }

    /// Decodes a preset name; a misspelt one is an error listing the valid names.
    public init(from decoder: Decoder) throws {
        let name = try decoder.singleValueContainer().decode(String.self)
        guard let preset = AugmentationPreset(rawValue: name) else {
            throw DecodingError.dataCorrupted(DecodingError.Context(
                codingPath: decoder.codingPath, debugDescription: "unknown augmentation preset '\(name)'; valid presets are \(Self.validNames)"))
        }
        self = preset
    }

    /// The 8-bit steps for a network input of `inputSize` (with `resizeSize` the shorter side for the resize-based
    /// presets), resizing with `interpolation`; `flip` adds a random horizontal flip to every preset but `none`.
    public func steps(inputSize: Int, resizeSize: Int, flip: Bool, interpolation: Interpolation = .bilinear) -> [any ImageTransform] {
        let flipStep: [any ImageTransform] = flip ? [RandomHorizontalFlip()] : []
        switch self {
        case .none: return [Resize(shorterSide: resizeSize, interpolation: interpolation), CenterCrop(inputSize)]
        case .light: return [Resize(shorterSide: resizeSize, interpolation: interpolation), RandomCrop(inputSize)] + flipStep
        case .standard: return [RandomResizedCrop(inputSize, interpolation: interpolation)] + flipStep + [TrivialAugmentWide()]
        case .strong: return [RandomResizedCrop(inputSize, interpolation: interpolation)] + flipStep + [RandAugment()]
        }
    }

    /// The float step after normalisation (random erasing for `strong`), or nil.
    public var erasing: RandomErasing? {
        self == .strong ? RandomErasing(probability: Self.strongErasingProbability) : nil
    }
}
