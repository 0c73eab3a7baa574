/// torchvision 0.14's colour functionals on PIL images, which are PIL's `ImageEnhance` classes: each blends the
/// image with a "degenerate" version (`Image.blend(degenerate, image, factor)`), with PIL's float32 arithmetic,
/// clipping and truncation so the bytes match exactly.
extension Image {
    /// `F.adjust_brightness`: blends with black; 0 gives black, 1 the original, above 1 brighter.
    public func adjustedBrightness(_ factor: Double) -> Image {
        blended(from: [UInt8](repeating: 0, count: pixels.count), factor: factor)
    }

    /// `F.adjust_saturation` (`ImageEnhance.Color`): blends with the PIL greyscale ("L") version; 0 gives grey.
    public func adjustedSaturation(_ factor: Double) -> Image {
        var grey = [UInt8](repeating: 0, count: pixels.count)
        pixels.withUnsafeBufferPointer { input in
            for pixel in stride(from: 0, to: input.count, by: 3) {
                let luma = Self.luma(input[pixel], input[pixel + 1], input[pixel + 2])
                grey[pixel] = luma
                grey[pixel + 1] = luma
                grey[pixel + 2] = luma
            }
        }
        return blended(from: grey, factor: factor)
    }

    /// `F.adjust_contrast` (`ImageEnhance.Contrast`): blends with a flat image of the greyscale mean, rounded
    /// half up as PIL does (`int(mean + 0.5)`).
    public func adjustedContrast(_ factor: Double) -> Image {
        var total = 0
        pixels.withUnsafeBufferPointer { input in
            for pixel in stride(from: 0, to: input.count, by: 3) {
                total += Int(Self.luma(input[pixel], input[pixel + 1], input[pixel + 2]))
            }
        }
        let mean = UInt8(Double(total) / Double(width * height) + 0.5)
        return blended(from: [UInt8](repeating: mean, count: pixels.count), factor: factor)
    }

    /// `F.adjust_sharpness` (`ImageEnhance.Sharpness`): blends with PIL's `SMOOTH` 3×3 filter, whose one-pixel
    /// border keeps the original values; above 1 sharpens, below 1 blurs.
    public func adjustedSharpness(_ factor: Double) -> Image {
        blended(from: smoothed(), factor: factor)
    }

    /// PIL's `Image.blend(degenerate, self, factor)`: `degenerate + factor·(self − degenerate)` in float32,
    /// clipped to 0...255 and truncated (a NaN from a NaN factor counts as 0).
    func blended(from degenerate: [UInt8], factor: Double) -> Image {
        let alpha = Float(factor)
        return pixels.withUnsafeBufferPointer { input in
            degenerate.withUnsafeBufferPointer { base in
                Image(width: width, height: height) { output in
                    for index in 0..<output.count {
                        let start = Int(base[index])
                        let value = Float(start) + alpha * Float(Int(input[index]) - start)
                        output[index] = value > 0 ? (value < 255 ? UInt8(value) : 255) : 0
                    }
                }
            }
        }
    }

    /// PIL's `filter(ImageFilter.SMOOTH)`: kernel [1 1 1; 1 5 1; 1 1 1] / 13 in float32 with +0.5 rounding;
    /// the outer rows and columns are copied.
    func smoothed() -> [UInt8] {
        guard width >= 3, height >= 3 else { return pixels }
        let edge = Float(1.0 / 13.0), centre = Float(5.0 / 13.0)
        var output = pixels
        pixels.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                let stride = width * 3
                for y in 1..<(height - 1) {
                    for x in 1..<(width - 1) {
                        for channel in 0..<3 {
                            let index = y * stride + x * 3 + channel
                            func row(_ at: Int, _ middle: Float) -> Float {
                                Float(input[at - 3]) * edge + Float(input[at]) * middle + Float(input[at + 3]) * edge
                            }
                            // PIL's order: the row below, this row, the row above, each summed left to right.
                            var sum: Float = 0.5
                            sum += row(index + stride, edge)
                            sum += row(index, centre)
                            sum += row(index - stride, edge)
                            out[index] = sum <= 0 ? 0 : sum >= 255 ? 255 : UInt8(sum)
                        }
                    }
                }
            }
        }
        return output
    }

    /// PIL's RGB → "L" conversion (ITU-R 601-2 luma in 16-bit fixed point, rounded).
    @inline(__always)
    static func luma(_ red: UInt8, _ green: UInt8, _ blue: UInt8) -> UInt8 {
        let weighted: Int = Int(red) * 19595 + Int(green) * 38470 + Int(blue) * 7471
        return UInt8((weighted + 0x8000) >> 16)
    }
}
