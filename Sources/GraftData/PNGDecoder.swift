import CImageCodecs
#if canImport(Glibc)
import Glibc
#endif

/// PNG decoding through libpng, converted to RGB exactly like PIL's `Image.open(...).convert('RGB')`.
enum PNGDecoder {
    /// Decodes a PNG to RGB: palette expanded, alpha dropped (not composited), 16-bit reduced as PIL does.
    static func decode(_ bytes: [UInt8], path: String) throws -> Image {
        var info = graft_png_info()
        var raw: UnsafeMutablePointer<UInt8>?
        var message = [CChar](repeating: 0, count: 256)
        let status = bytes.withUnsafeBufferPointer { source in
            graft_png_decode(source.baseAddress, source.count, UInt64(JPEGDecoder.maximumPixels), &info, &raw, &message, message.count)
        }
        if status == 2 {
            throw DataError.imageTooLarge(path: path, format: "PNG", width: Int(info.width), height: Int(info.height), limit: JPEGDecoder.maximumPixels)
        }
        guard status == 0, let raw else {
            let reason = String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw DataError.corruptImage(path: path, format: "PNG", reason: reason.isEmpty ? "unknown libpng error" : reason)
        }
        defer { free(raw) }
        let width = Int(info.width), height = Int(info.height), channels = Int(info.channels)
        let bytesPerSample = info.bit_depth == 16 ? 2 : 1
        guard width > 0, height > 0, (1...4).contains(channels) else {
            throw DataError.corruptImage(path: path, format: "PNG", reason: "unsupported layout: \(channels) channels")
        }
        let source = UnsafeBufferPointer(start: raw, count: width * height * channels * bytesPerSample)
        // PIL opens 16-bit grey as 32-bit "I" and clips it to 0...255 when converting; other 16-bit modes keep the high byte.
        let clipsSixteenBitGrey = bytesPerSample == 2 && channels == 1
        return Image(width: width, height: height) { rgb in
            for pixel in 0..<(width * height) {
                let base = pixel * channels * bytesPerSample
                func sample(_ channel: Int) -> UInt8 {
                    let at = base + channel * bytesPerSample
                    guard bytesPerSample == 2 else { return source[at] }
                    if clipsSixteenBitGrey { return UInt8(clamping: Int(source[at]) << 8 | Int(source[at + 1])) }
                    return source[at]
                }
                let isGrey = channels <= 2
                rgb[pixel * 3] = sample(0)
                rgb[pixel * 3 + 1] = isGrey ? rgb[pixel * 3] : sample(1)
                rgb[pixel * 3 + 2] = isGrey ? rgb[pixel * 3] : sample(2)
            }
        }
    }
}
