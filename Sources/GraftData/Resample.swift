import CImageKernels

/// The resampling filter of a resize: Pillow's, which torchvision's PIL path uses.
public enum Interpolation: String, Sendable, Codable, CaseIterable {
    /// The triangle filter (`BILINEAR`), support 1.
    case bilinear
    /// Keys' cubic convolution with a = −0.5 (`BICUBIC`), support 2.
    case bicubic

    /// The filter named as torchvision's `InterpolationMode` values are (`bilinear`, `bicubic`), or nil.
    public init?(named name: String) { self.init(rawValue: name.lowercased()) }

    /// Half the width of the filter at scale 1.
    var support: Double {
        switch self {
        case .bilinear: return 1
        case .bicubic: return 2
        }
    }

    /// The filter's weight at distance `x` (Pillow's `bilinear_filter` / `bicubic_filter`).
    func weight(_ x: Double) -> Double {
        let x = abs(x)
        switch self {
        case .bilinear:
            return x < 1 ? 1 - x : 0
        case .bicubic:
            let a = -0.5
            if x < 1 { return ((a + 2) * x - (a + 3)) * x * x + 1 }
            if x < 2 { return (((x - 5) * x + 8) * x - 4) * a }
            return 0
        }
    }
}

/// Separable resampling that reproduces Pillow's `Image.resize(size, BILINEAR or BICUBIC)` bit for bit:
/// the filter's support is widened by the scale factor when shrinking (antialiasing),
/// weights in 22-bit fixed point, horizontal pass first, 8-bit intermediate clipped to 0...255.
enum Resample {
    private static let precisionBits: Int32 = 22

    /// A rectangle of the output in pixels.
    struct Region {
        var left: Int
        var top: Int
        var width: Int
        var height: Int
    }

    /// Per-output-pixel source ranges and fixed-point weights along one axis.
    struct Coefficients {
        var start: [Int]
        var count: [Int]
        var weights: [Int32]
        var kernelSize: Int
    }

    /// Pillow's `precompute_coeffs` + `normalize_coeffs_8bpc` for `filter`.
    static func coefficients(inputSize: Int, outputSize: Int, filter: Interpolation) -> Coefficients {
        let scale = Double(inputSize) / Double(outputSize)
        let filterScale = max(scale, 1.0)
        let support = filter.support * filterScale
        let inverseScale = 1.0 / filterScale  // Pillow multiplies by the reciprocal; dividing would round differently
        let kernelSize = Int(support.rounded(.up)) * 2 + 1
        var result = Coefficients(start: [], count: [], weights: [Int32](repeating: 0, count: outputSize * kernelSize), kernelSize: kernelSize)
        result.start.reserveCapacity(outputSize)
        result.count.reserveCapacity(outputSize)
        var kernel = [Double](repeating: 0, count: kernelSize)
        for output in 0..<outputSize {
            let center = (Double(output) + 0.5) * scale
            let first = max(Int(center - support + 0.5), 0)
            let count = max(min(Int(center + support + 0.5), inputSize) - first, 0)
            var total = 0.0
            for tap in 0..<count {
                kernel[tap] = filter.weight((Double(tap + first) - center + 0.5) * inverseScale)
                total += kernel[tap]
            }
            for tap in 0..<count {
                let weight = total != 0 ? kernel[tap] / total : kernel[tap]
                let fixed = weight * Double(1 << precisionBits)
                result.weights[output * kernelSize + tap] = Int32(fixed < 0 ? fixed - 0.5 : fixed + 0.5)
            }
            result.start.append(first)
            result.count.append(count)
        }
        return result
    }

    /// Resizes to `width`×`height` and returns `region` of the result (the whole image by default). Computing only the
    /// region gives the same pixels as resizing everything and cropping, at a fraction of the cost.
    static func resize(_ image: Image, width: Int, height: Int, region: Region? = nil, filter: Interpolation = .bilinear) -> Image {
        let box = region ?? Region(left: 0, top: 0, width: width, height: height)
        let vertical = height != image.height ? coefficients(inputSize: image.height, outputSize: height, filter: filter) : nil
        let firstRow: Int, endRow: Int
        if let vertical {
            let last = box.top + box.height - 1
            (firstRow, endRow) = (vertical.start[box.top], vertical.start[last] + vertical.count[last])
        } else {
            (firstRow, endRow) = (box.top, box.top + box.height)
        }
        let rows = horizontalPass(image, width: width, columns: box.left..<(box.left + box.width), rows: firstRow..<endRow, filter: filter)
        guard let vertical else { return rows }
        return verticalPass(rows, plan: vertical, outputRows: box.top..<(box.top + box.height), rowOffset: firstRow)
    }

    /// Resamples the given source rows horizontally to `width`, keeping output columns `columns`.
    private static func horizontalPass(_ image: Image, width: Int, columns: Range<Int>, rows: Range<Int>, filter: Interpolation) -> Image {
        let inputRowLength = image.width * 3, outputRowLength = columns.count * 3
        if width == image.width {
            return image.pixels.withUnsafeBufferPointer { input in
                Image(width: columns.count, height: rows.count) { output in
                    for (row, source) in rows.enumerated() {
                        let from = input.baseAddress! + source * inputRowLength + columns.lowerBound * 3
                        (output.baseAddress! + row * outputRowLength).update(from: from, count: outputRowLength)
                    }
                }
            }
        }
        let plan = coefficients(inputSize: image.width, outputSize: width, filter: filter)
        return image.pixels.withUnsafeBufferPointer { input in
            Image(width: columns.count, height: rows.count) { output in
                graft_resample_rows(input.baseAddress! + rows.lowerBound * inputRowLength, inputRowLength, output.baseAddress,
                                    outputRowLength, Int32(rows.count), plan.start, plan.count, plan.weights,
                                    Int32(plan.kernelSize), Int32(columns.lowerBound), Int32(columns.count))
            }
        }
    }

    /// Resamples vertically: output rows `outputRows` of `plan`, whose source row r is row r - `rowOffset` of `image`.
    private static func verticalPass(_ image: Image, plan: Coefficients, outputRows: Range<Int>, rowOffset: Int) -> Image {
        let rowLength = image.width * 3
        var sums = [Int32](repeating: 0, count: rowLength)
        return image.pixels.withUnsafeBufferPointer { input in
            Image(width: image.width, height: outputRows.count) { output in
                graft_resample_columns(input.baseAddress, rowLength, output.baseAddress, Int32(outputRows.lowerBound),
                                       Int32(outputRows.count), plan.start, plan.count, plan.weights, Int32(plan.kernelSize),
                                       rowOffset, &sums)
            }
        }
    }
}
