import Foundation

extension Drawing {
    /// The drawing as a standalone SVG document.
    public func svg(title: String) -> String { SVGRenderer.render(self, title: title) }

    /// The drawing rasterized and encoded as PNG bytes; the scale is lowered (not below 1) when the image would
    /// exceed `RGBAImage.sideLimits`, so large confusion matrices still render. Text is drawn with FreeType from
    /// Debian's font packages (see `Rasterizer`); the SVG form leaves fonts to the viewer.
    public func png(pixelsPerUnit: Int = 2) throws -> Data {
        let largestSide = max(width, height)
        let fitting =
            largestSide.isFinite && largestSide > 0
            ? Int((Double(RGBAImage.sideLimits.upperBound) / largestSide).rounded(.down)) : 1
        let scale = max(1, min(pixelsPerUnit, fitting))
        return Data(try PNGEncoder.encode(try Rasterizer.render(self, pixelsPerUnit: scale)))
    }
}
