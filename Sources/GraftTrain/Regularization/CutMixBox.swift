/// The rectangle CutMix pastes from the reversed batch, as timm's `rand_bbox`: a cut of ⌊H·√(1−λ)⌋ × ⌊W·√(1−λ)⌋
/// centred on a uniformly drawn pixel, clipped to the image. Rows `top..<bottom`, columns `left..<right`.
public struct CutMixBox: Sendable, Equatable {
    /// First row inside the box.
    public let top: Int
    /// One past the last row.
    public let bottom: Int
    /// First column inside the box.
    public let left: Int
    /// One past the last column.
    public let right: Int
    /// The image height the box was drawn for.
    public let imageHeight: Int
    /// The image width the box was drawn for.
    public let imageWidth: Int

    /// timm's `rand_bbox(img_shape, lam)` (no margin) for the centre (`centerY`, `centerX`) that its
    /// `np.random.randint(0, H)` / `randint(0, W)` drew.
    public init(imageHeight: Int, imageWidth: Int, lambda: Double, centerY: Int, centerX: Int) {
        let ratio = (1 - lambda).squareRoot()
        let cutHeight = Int(Double(imageHeight) * ratio), cutWidth = Int(Double(imageWidth) * ratio)
        top = Self.clip(centerY - cutHeight / 2, imageHeight)
        bottom = Self.clip(centerY + cutHeight / 2, imageHeight)
        left = Self.clip(centerX - cutWidth / 2, imageWidth)
        right = Self.clip(centerX + cutWidth / 2, imageWidth)
        self.imageHeight = imageHeight
        self.imageWidth = imageWidth
    }

    /// timm's `correct_lam`: the share of each image that stays its own, 1 − box area / image area.
    public var correctedLambda: Double {
        1 - Double((bottom - top) * (right - left)) / Double(imageHeight * imageWidth)
    }

    private static func clip(_ value: Int, _ upper: Int) -> Int { min(max(value, 0), upper) }
}
