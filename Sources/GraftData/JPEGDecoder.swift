import CImageCodecs

/// JPEG decoding through TurboJPEG, with DCT down-scaling, CMYK conversion and EXIF orientation.
enum JPEGDecoder {
    /// Decodes larger than this many pixels are refused, like PIL's decompression-bomb limit.
    static let maximumPixels = 178_956_970
    /// DCT scale factors tried when a minimum shorter side is given, smallest first.
    static let reducedScales: [(numerator: Int, denominator: Int)] = [(1, 8), (1, 4), (1, 2)]

    /// Decodes a JPEG to RGB (see `ImageDecoder.decode`).
    static func decode(_ bytes: [UInt8], path: String, minimumShorterSide: Int?) throws -> Image {
        guard let handle = tjInitDecompress() else {
            throw DataError.corruptImage(path: path, format: "JPEG", reason: "cannot create a TurboJPEG decoder")
        }
        defer { tjDestroy(handle) }
        var width: Int32 = 0, height: Int32 = 0, subsampling: Int32 = 0, colorspace: Int32 = 0
        let headerStatus = bytes.withUnsafeBufferPointer {
            tjDecompressHeader3(handle, $0.baseAddress, UInt($0.count), &width, &height, &subsampling, &colorspace)
        }
        guard headerStatus == 0, width > 0, height > 0 else { throw failure(handle, path: path, bytes: bytes) }
        guard Int(width) * Int(height) <= maximumPixels else {
            throw DataError.imageTooLarge(path: path, format: "JPEG", width: Int(width), height: Int(height), limit: maximumPixels)
        }
        let scale = chooseScale(width: Int(width), height: Int(height), minimumShorterSide: minimumShorterSide)
        let outWidth = scaled(Int(width), scale), outHeight = scaled(Int(height), scale)
        let isCMYK = colorspace == Int32(TJCS_CMYK.rawValue) || colorspace == Int32(TJCS_YCCK.rawValue)
        let bytesPerPixel = isCMYK ? 4 : 3
        let pixelFormat = isCMYK ? Int32(TJPF_CMYK.rawValue) : Int32(TJPF_RGB.rawValue)

        var status: Int32 = 0
        var decoded = [UInt8](unsafeUninitializedCapacity: outWidth * outHeight * bytesPerPixel) { buffer, count in
            status = bytes.withUnsafeBufferPointer { source in
                tjDecompress2(handle, source.baseAddress, UInt(source.count), buffer.baseAddress,
                              Int32(outWidth), 0, Int32(outHeight), pixelFormat, 0)
            }
            count = buffer.count
        }
        if status != 0 && !isHarmlessWarning(handle) { throw failure(handle, path: path, bytes: bytes) }

        let markers = JPEGMarkers.scan(bytes)
        if isCMYK { decoded = CMYKConversion.toRGB(decoded, inverted: markers.hasAdobeMarker) }
        let image = Image(width: outWidth, height: outHeight, checkedPixels: decoded)
        return ExifOrientation.apply(markers.orientation, to: image)
    }

    /// The smallest offered scale whose shorter side is still at least `minimumShorterSide`, else 1/1.
    static func chooseScale(width: Int, height: Int, minimumShorterSide: Int?) -> (numerator: Int, denominator: Int) {
        guard let minimumShorterSide, minimumShorterSide > 0 else { return (1, 1) }
        let shorter = min(width, height)
        return reducedScales.first { scaled(shorter, $0) >= minimumShorterSide } ?? (1, 1)
    }

    /// TurboJPEG's TJSCALED: the scaled dimension, rounded up.
    private static func scaled(_ dimension: Int, _ scale: (numerator: Int, denominator: Int)) -> Int {
        (dimension * scale.numerator + scale.denominator - 1) / scale.denominator
    }

    /// Warnings other than a premature end of data (e.g. extraneous bytes) leave a complete image, as in PIL.
    private static func isHarmlessWarning(_ handle: tjhandle) -> Bool {
        guard tjGetErrorCode(handle) == Int32(TJERR_WARNING.rawValue) else { return false }
        return !message(handle).lowercased().contains("premature end")
    }

    private static func message(_ handle: tjhandle) -> String {
        guard let text = tjGetErrorStr2(handle) else { return "unknown TurboJPEG error" }
        return String(cString: text)
    }

    /// The error, called truncated when libjpeg says so or the file lacks its end-of-image marker (FF D9) near the end.
    private static func failure(_ handle: tjhandle, path: String, bytes: [UInt8]) -> DataError {
        let text = message(handle)
        let tail = Array(bytes.suffix(16))
        let hasEnd = zip(tail, tail.dropFirst()).contains { $0 == 0xFF && $1 == 0xD9 }
        let truncated = text.lowercased().contains("premature end") || !hasEnd
        return .corruptImage(path: path, format: "JPEG", reason: truncated ? "truncated: \(text)" : text)
    }
}

/// PIL's CMYK → RGB conversion (Pillow `cmyk2rgb`), after undoing Adobe's inverted storage.
enum CMYKConversion {
    /// Converts interleaved CMYK bytes to interleaved RGB bytes.
    static func toRGB(_ cmyk: [UInt8], inverted: Bool) -> [UInt8] {
        let count = cmyk.count / 4
        return [UInt8](unsafeUninitializedCapacity: count * 3) { rgb, written in
            for pixel in 0..<count {
                var values = (Int(cmyk[pixel * 4]), Int(cmyk[pixel * 4 + 1]), Int(cmyk[pixel * 4 + 2]), Int(cmyk[pixel * 4 + 3]))
                if inverted { values = (255 - values.0, 255 - values.1, 255 - values.2, 255 - values.3) }
                let notBlack = 255 - values.3
                rgb[pixel * 3] = channel(values.0, notBlack)
                rgb[pixel * 3 + 1] = channel(values.1, notBlack)
                rgb[pixel * 3 + 2] = channel(values.2, notBlack)
            }
            written = count * 3
        }
    }

    private static func channel(_ ink: Int, _ notBlack: Int) -> UInt8 {
        let product = ink * notBlack + 128
        let scaled = ((product >> 8) + product) >> 8
        return UInt8(clamping: notBlack - scaled)
    }
}
