/// Separable bilinear resampling that reproduces Pillow's `Image.resize(size, BILINEAR)` bit for bit:
/// a triangle filter whose support is widened by the scale factor when shrinking (antialiasing),
/// weights in 22-bit fixed point, horizontal pass first, 8-bit intermediate.
enum Resample {
    private static let precisionBits = 22

    /// Per-output-pixel source ranges and fixed-point weights along one axis.
    struct Coefficients {
        var start: [Int]
        var count: [Int]
        var weights: [Int32]
        var kernelSize: Int
    }

    /// Pillow's `precompute_coeffs` + `normalize_coeffs_8bpc` for the bilinear filter.
    static func coefficients(inputSize: Int, outputSize: Int) -> Coefficients {
        let scale = Double(inputSize) / Double(outputSize)
        let filterScale = max(scale, 1.0)
        let support = 1.0 * filterScale
        let inverseScale = 1.0 / filterScale  // Pillow multiplies by the reciprocal; dividing would round differently
        let kernelSize = Int(support.rounded(.up)) * 2 + 1
        var result = Coefficients(start: [], count: [], weights: [Int32](repeating: 0, count: outputSize * kernelSize), kernelSize: kernelSize)
        result.start.reserveCapacity(outputSize)
        result.count.reserveCapacity(outputSize)
        var kernel = [Double](repeating: 0, count: kernelSize)
        for output in 0..<outputSize {
            let center = (Double(output) + 0.5) * scale
            let first = max(Int(center - support + 0.5), 0)
            let count = min(Int(center + support + 0.5), inputSize) - first
            var total = 0.0
            for tap in 0..<count {
                let distance = abs((Double(tap + first) - center + 0.5) * inverseScale)
                kernel[tap] = distance < 1 ? 1 - distance : 0
                total += kernel[tap]
            }
            for tap in 0..<count {
                let weight = total != 0 ? kernel[tap] / total : kernel[tap]
                let fixed = weight * Double(1 << precisionBits)
                result.weights[output * kernelSize + tap] = Int32(fixed < 0 ? fixed - 0.5 : fixed + 0.5)
            }
            result.start.append(first)
            result.count.append(max(count, 0))
        }
        return result
    }

    /// Resizes to `width`×`height`; the identity when the size is unchanged, like Pillow.
    static func resize(_ image: Image, width: Int, height: Int) -> Image {
        guard width != image.width || height != image.height else { return image }
        var current = image
        if width != current.width { current = horizontal(current, width: width) }
        if height != current.height { current = vertical(current, height: height) }
        return current
    }

    private static func horizontal(_ image: Image, width: Int) -> Image {
        let plan = coefficients(inputSize: image.width, outputSize: width)
        let inputRow = image.width * 3
        return image.pixels.withUnsafeBufferPointer { input in
            plan.weights.withUnsafeBufferPointer { weights in
                Image(width: width, height: image.height) { output in
                    for y in 0..<image.height {
                        let row = y * inputRow, outRow = y * width * 3
                        for x in 0..<width {
                            let first = plan.start[x], taps = plan.count[x], kernel = x * plan.kernelSize
                            var red: Int32 = 1 << (precisionBits - 1), green = red, blue = red
                            for tap in 0..<taps {
                                let weight = weights[kernel + tap], at = row + (first + tap) * 3
                                red &+= Int32(input[at]) &* weight
                                green &+= Int32(input[at + 1]) &* weight
                                blue &+= Int32(input[at + 2]) &* weight
                            }
                            output[outRow + x * 3] = clip(red)
                            output[outRow + x * 3 + 1] = clip(green)
                            output[outRow + x * 3 + 2] = clip(blue)
                        }
                    }
                }
            }
        }
    }

    private static func vertical(_ image: Image, height: Int) -> Image {
        let plan = coefficients(inputSize: image.height, outputSize: height)
        let rowLength = image.width * 3
        var sums = [Int32](repeating: 0, count: rowLength)
        return image.pixels.withUnsafeBufferPointer { input in
            plan.weights.withUnsafeBufferPointer { weights in
                Image(width: image.width, height: height) { output in
                    sums.withUnsafeMutableBufferPointer { sums in
                        for y in 0..<height {
                            let first = plan.start[y], taps = plan.count[y], kernel = y * plan.kernelSize
                            for index in 0..<rowLength { sums[index] = 1 << (precisionBits - 1) }
                            // Row-at-a-time accumulation keeps memory access sequential.
                            for tap in 0..<taps {
                                let weight = weights[kernel + tap], row = (first + tap) * rowLength
                                for index in 0..<rowLength { sums[index] &+= Int32(input[row + index]) &* weight }
                            }
                            let outRow = y * rowLength
                            for index in 0..<rowLength { output[outRow + index] = clip(sums[index]) }
                        }
                    }
                }
            }
        }
    }

    @inline(__always)
    private static func clip(_ value: Int32) -> UInt8 {
        UInt8(clamping: value >> Int32(precisionBits))
    }
}
