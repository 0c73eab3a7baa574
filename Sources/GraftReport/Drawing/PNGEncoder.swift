import CImageCodecs
import Foundation

/// Writes RGBA images as PNG files through libpng (8-bit RGBA, non-interlaced, libpng's adaptive row filters and
/// zlib compression).
public enum PNGEncoder {
    /// The PNG file bytes for `image`; throws ``GraftReportError/pngEncodingFailed(_:)`` with libpng's reason.
    public static func encode(_ image: RGBAImage) throws -> [UInt8] {
        var output: UnsafeMutablePointer<UInt8>?
        var size = 0
        let errorCapacity = 256
        var error = [CChar](repeating: 0, count: errorCapacity)
        let status = image.pixels.withUnsafeBufferPointer { pixels in
            graft_png_encode_rgba(
                pixels.baseAddress, UInt32(image.width), UInt32(image.height), &output, &size, &error, errorCapacity)
        }
        defer { free(output) }
        guard status == 0, let output else {
            throw GraftReportError.pngEncodingFailed(String(decoding: error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return Array(UnsafeBufferPointer(start: output, count: size))
    }
}
