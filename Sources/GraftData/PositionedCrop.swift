/// One window of torchvision's `five_crop`: a `height`×`width` crop at a corner or at the centre of the image.
public struct PositionedCrop: BoxCrop {
    /// Where the window sits, in `five_crop`'s order.
    public enum Position: String, CaseIterable, Sendable {
        case topLeft, topRight, bottomLeft, bottomRight, center
    }

    /// Where the window sits.
    public let position: Position
    /// Output height.
    public let height: Int
    /// Output width.
    public let width: Int

    /// A square window at `position`.
    public init(_ position: Position, size: Int) { self.init(position, height: size, width: size) }

    /// A rectangular window at `position`.
    public init(_ position: Position, height: Int, width: Int) {
        self.position = position
        self.height = height
        self.width = width
    }

    /// Applies the transform (see the type's description); throws when the window is larger than the image, as
    /// `five_crop` does.
    public func apply(_ image: Image, random: inout SeededRandom) throws -> Image {
        image.cropped(to: try box(width: image.width, height: image.height, random: &random))
    }

    func box(width imageWidth: Int, height imageHeight: Int, random: inout SeededRandom) throws -> Resample.Region {
        guard height > 0, width > 0, imageHeight >= height, imageWidth >= width else {
            throw DataError.invalidTransform("\(position) crop \(height)×\(width) does not fit the \(imageHeight)×\(imageWidth) image; resize first")
        }
        let right = imageWidth - width, bottom = imageHeight - height
        switch position {
        case .topLeft: return Resample.Region(left: 0, top: 0, width: width, height: height)
        case .topRight: return Resample.Region(left: right, top: 0, width: width, height: height)
        case .bottomLeft: return Resample.Region(left: 0, top: bottom, width: width, height: height)
        case .bottomRight: return Resample.Region(left: right, top: bottom, width: width, height: height)
        case .center:
            return Resample.Region(left: CenterCrop.offset(imageWidth, width), top: CenterCrop.offset(imageHeight, height),
                                   width: width, height: height)
        }
    }
}
