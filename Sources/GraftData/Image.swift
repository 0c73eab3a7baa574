/// An 8-bit RGB image, pixels stored row by row as interleaved R, G, B (HWC).
public struct Image: Sendable, Equatable {
    /// Number of interleaved channels; decoders always convert to RGB.
    public static let channels = 3
    /// Largest width or height a transform may produce.
    public static let maximumSide = 65_535

    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// `height * width * 3` bytes, row-major, RGB interleaved.
    public var pixels: [UInt8]

    /// Wraps existing RGB pixels; fails when the buffer size does not match the dimensions.
    public init(width: Int, height: Int, pixels: [UInt8]) throws {
        guard width > 0, height > 0, pixels.count == width * height * Image.channels else {
            throw DataError.invalidArgument("image of \(width)×\(height) needs \(max(0, width * height * 3)) bytes, got \(pixels.count)")
        }
        self.width = width
        self.height = height
        self.pixels = pixels
    }

    /// Wraps pixels whose count the caller has already made `width * height * 3`.
    init(width: Int, height: Int, checkedPixels: [UInt8]) {
        self.width = width
        self.height = height
        self.pixels = checkedPixels
    }

    /// Builds an image whose pixels are produced by `fill` writing into the uninitialised RGB buffer.
    init(width: Int, height: Int, fill: (UnsafeMutableBufferPointer<UInt8>) -> Void) {
        self.width = width
        self.height = height
        self.pixels = [UInt8](unsafeUninitializedCapacity: width * height * Image.channels) { buffer, count in
            fill(buffer)
            count = buffer.count
        }
    }

    /// The length of the shorter side.
    public var shorterSide: Int { min(width, height) }
}
