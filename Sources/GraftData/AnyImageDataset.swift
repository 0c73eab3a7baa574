/// Any dataset behind one concrete type, so a loader or trainer can take whichever source the user picked
/// (an image folder, a CSV of files, IDX files, a split of one of these).
public struct AnyImageDataset: ImageDataset {
    private let base: any ImageDataset

    /// Wraps `base`.
    public init(_ base: any ImageDataset) {
        self.base = base
    }

    public var count: Int { base.count }
    public var classes: [String] { base.classes }
    public func label(at index: Int) -> Int { base.label(at: index) }
    public func sampleName(at index: Int) -> String { base.sampleName(at: index) }
    public func loadImage(at index: Int, minimumShorterSide: Int?) throws -> Image {
        try base.loadImage(at: index, minimumShorterSide: minimumShorterSide)
    }
}
