import Foundation

extension Drawing {
    /// The drawing as a standalone SVG document.
    public func svg(title: String) -> String { SVGRenderer.render(self, title: title) }

    /// The drawing rasterized and encoded as PNG bytes.
    public func png(pixelsPerUnit: Int = 2) throws -> Data {
        Data(PNGEncoder.encode(try Rasterizer.render(self, pixelsPerUnit: pixelsPerUnit)))
    }
}
