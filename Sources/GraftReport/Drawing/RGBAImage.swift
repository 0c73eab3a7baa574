/// An 8-bit RGBA pixel buffer, row-major from the top-left corner.
public struct RGBAImage: Sendable, Equatable {
    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// `width * height * 4` bytes: R, G, B, A per pixel.
    public private(set) var pixels: [UInt8]

    /// The allowed number of pixels per side.
    public static let sideLimits = 1...8192

    /// Creates an image filled with `color`; each side must lie in `sideLimits`.
    public init(width: Int, height: Int, fill color: RGBAColor) throws {
        guard Self.sideLimits.contains(width), Self.sideLimits.contains(height) else {
            throw GraftReportError.invalidImageSize(width: width, height: height)
        }
        self.width = width
        self.height = height
        pixels = Array(repeating: 0, count: width * height * 4)
        for offset in stride(from: 0, to: pixels.count, by: 4) {
            pixels[offset] = color.red
            pixels[offset + 1] = color.green
            pixels[offset + 2] = color.blue
            pixels[offset + 3] = color.alpha
        }
    }

    /// The color at (x, y), or nil outside the image.
    public func pixel(x: Int, y: Int) -> RGBAColor? {
        guard (0..<width).contains(x), (0..<height).contains(y) else { return nil }
        let offset = (y * width + x) * 4
        return RGBAColor(
            red: pixels[offset], green: pixels[offset + 1], blue: pixels[offset + 2], alpha: pixels[offset + 3])
    }

    /// Paints one pixel with `color` blended over what is there; pixels outside the image are ignored.
    mutating func blend(x: Int, y: Int, _ color: RGBAColor) {
        guard (0..<width).contains(x), (0..<height).contains(y) else { return }
        let offset = (y * width + x) * 4
        if color.alpha == 255 {
            pixels[offset] = color.red
            pixels[offset + 1] = color.green
            pixels[offset + 2] = color.blue
            pixels[offset + 3] = 255
            return
        }
        let alpha = Int(color.alpha)
        for (channel, value) in [color.red, color.green, color.blue].enumerated() {
            let old = Int(pixels[offset + channel])
            pixels[offset + channel] = UInt8((Int(value) * alpha + old * (255 - alpha) + 127) / 255)
        }
        let oldAlpha = Int(pixels[offset + 3])
        pixels[offset + 3] = UInt8(alpha + (oldAlpha * (255 - alpha) + 127) / 255)
    }

    /// Fills the pixels whose centres lie in the half-open box [x0, x1) x [y0, y1), clipped to the image.
    mutating func fill(x0: Double, y0: Double, x1: Double, y1: Double, _ color: RGBAColor) {
        let left = max(0, Int((x0 - 0.5).rounded(.up)))
        let right = min(width, Int((x1 - 0.5).rounded(.up)))
        let top = max(0, Int((y0 - 0.5).rounded(.up)))
        let bottom = min(height, Int((y1 - 0.5).rounded(.up)))
        // A fully transparent fill (an outline-only rectangle) changes nothing; skipping it saves a blend per pixel.
        guard left < right, top < bottom, color.alpha > 0 else { return }
        guard color.alpha == 255 else {
            for y in top..<bottom {
                for x in left..<right { blend(x: x, y: y, color) }
            }
            return
        }
        let rowWidth = width
        pixels.withUnsafeMutableBufferPointer { buffer in
            for y in top..<bottom {
                var offset = (y * rowWidth + left) * 4
                for _ in left..<right {
                    buffer[offset] = color.red
                    buffer[offset + 1] = color.green
                    buffer[offset + 2] = color.blue
                    buffer[offset + 3] = 255
                    offset += 4
                }
            }
        }
    }
}
