import Foundation

/// torchvision 0.14's geometric functionals on PIL images (`F.affine`, `F.rotate`), nearest-neighbour with black fill.
///
/// Hand-written rather than delegated because the results must equal PIL's `Image.transform(AFFINE, NEAREST)`
/// bit for bit: PIL maps each output pixel centre through the *inverse* matrix and, for the usual image sizes,
/// steps through the source in 16.16 fixed point, so the same rounding is reproduced here.
extension Image {
    /// `torchvision.transforms.functional.affine` on a PIL image: rotation `angle` (degrees, clockwise), integer
    /// `translate` (x, y), `scale` and `shear` (x, y degrees) about `center` (default the image centre, in pixel
    /// coordinates with the origin at the top-left corner); pixels from outside are black.
    public func affine(angle: Double, translate: (x: Int, y: Int), scale: Double, shear: (x: Double, y: Double),
                       center: (x: Double, y: Double)? = nil) -> Image {
        let centre = center ?? (Double(width) * 0.5, Double(height) * 0.5)
        let matrix = Self.inverseAffineMatrix(center: centre, angle: angle, translate: (Double(translate.x), Double(translate.y)),
                                              scale: scale, shear: shear)
        return transformedAffine(inverse: matrix)
    }

    /// `torchvision.transforms.functional.rotate` on a PIL image (PIL's `Image.rotate`): `angle` degrees
    /// counter-clockwise about the centre, same size, black corners.
    public func rotated(degrees angle: Double) -> Image {
        // Python's `angle % 360.0` takes the sign of the divisor.
        var turned = fmod(angle, 360)
        if turned != 0, turned < 0 { turned += 360 }
        if turned == 0 { return self }
        if turned == 180 { return transposed(.rotate180) }
        if width == height, turned == 90 || turned == 270 { return transposed(turned == 90 ? .rotate90 : .rotate270) }
        let radians = -(turned * Self.degreesToRadians)
        let cosine = Self.roundedTo15Digits(cos(radians)), sine = Self.roundedTo15Digits(sin(radians))
        var matrix = [cosine, sine, 0.0, Self.roundedTo15Digits(-sin(radians)), cosine, 0.0]
        let (cx, cy) = (Double(width) / 2.0, Double(height) / 2.0)
        matrix[2] = matrix[0] * -cx + matrix[1] * -cy + matrix[2] + cx
        matrix[5] = matrix[3] * -cx + matrix[4] * -cy + matrix[5] + cy
        return transformedAffine(inverse: matrix)
    }

    /// PIL's `Image.transform(size, AFFINE, matrix, NEAREST)`: output pixel (x, y) takes the source pixel under
    /// the 6-coefficient `matrix` applied to its centre (x + 0.5, y + 0.5); black where that falls outside.
    func transformedAffine(inverse a: [Double]) -> Image {
        if a[1] == 0, a[3] == 0 { return scaledAffine(a) }
        let corners = [(0, 0), (width, height), (0, height), (width, 0)]
        let fitsFixedPoint = corners.allSatisfy { x, y in
            abs(Double(x) * a[0] + Double(y) * a[1] + a[2]) < 32768 && abs(Double(x) * a[3] + Double(y) * a[4] + a[5]) < 32768
        }
        return fitsFixedPoint ? fixedPointAffine(a) : floatingPointAffine(a)
    }

    /// PIL's `ImagingScaleAffine`: no rotation or shear, so columns are tabulated once.
    private func scaledAffine(_ a: [Double]) -> Image {
        var columns = [Int](repeating: -1, count: width)
        var xo = a[2] + a[0] * 0.5
        for x in 0..<width {
            let source = Self.coordinate(xo)
            if source >= 0, source < width { columns[x] = source }
            xo += a[0]
        }
        var yo = a[5] + a[4] * 0.5
        return pixels.withUnsafeBufferPointer { input in
            Image(width: width, height: height) { output in
                output.initialize(repeating: 0)
                for y in 0..<height {
                    let row = Self.coordinate(yo)
                    yo += a[4]
                    guard row >= 0, row < height else { continue }
                    for x in 0..<width where columns[x] >= 0 {
                        copyPixel(input, (row * width + columns[x]) * 3, output, (y * width + x) * 3)
                    }
                }
            }
        }
    }

    /// PIL's `affine_fixed`: 16.16 fixed-point stepping (used whenever the mapped corners stay within ±32768).
    private func fixedPointAffine(_ a: [Double]) -> Image {
        func fix(_ value: Double) -> Int32 { Int32(Self.floor(value * 65536.0 + 0.5)) }
        let (a0, a1, a3, a4) = (fix(a[0]), fix(a[1]), fix(a[3]), fix(a[4]))
        var rowX = fix(a[2] + a[0] * 0.5 + a[1] * 0.5), rowY = fix(a[5] + a[3] * 0.5 + a[4] * 0.5)
        return pixels.withUnsafeBufferPointer { input in
            Image(width: width, height: height) { output in
                output.initialize(repeating: 0)
                for y in 0..<height {
                    var xx = rowX, yy = rowY
                    for x in 0..<width {
                        let sourceX = Int(xx >> 16), sourceY = Int(yy >> 16)
                        if sourceX >= 0, sourceX < width, sourceY >= 0, sourceY < height {
                            copyPixel(input, (sourceY * width + sourceX) * 3, output, (y * width + x) * 3)
                        }
                        xx &+= a0
                        yy &+= a3
                    }
                    rowX &+= a1
                    rowY &+= a4
                }
            }
        }
    }

    /// PIL's floating-point affine loop, for matrices that would overflow the fixed-point one.
    private func floatingPointAffine(_ a: [Double]) -> Image {
        var xo = a[2] + a[1] * 0.5 + a[0] * 0.5, yo = a[5] + a[4] * 0.5 + a[3] * 0.5
        return pixels.withUnsafeBufferPointer { input in
            Image(width: width, height: height) { output in
                output.initialize(repeating: 0)
                for y in 0..<height {
                    var xx = xo, yy = yo
                    for x in 0..<width {
                        let sourceX = Self.coordinate(xx), sourceY = Self.coordinate(yy)
                        if sourceX >= 0, sourceX < width, sourceY >= 0, sourceY < height {
                            copyPixel(input, (sourceY * width + sourceX) * 3, output, (y * width + x) * 3)
                        }
                        xx += a[0]
                        yy += a[3]
                    }
                    xo += a[1]
                    yo += a[4]
                }
            }
        }
    }

    /// PIL's lossless quarter turns (`Image.transpose`), which `Image.rotate` uses for 90°, 180° and 270°.
    enum QuarterTurn { case rotate90, rotate180, rotate270 }

    /// The image turned counter-clockwise by a multiple of 90° (90° and 270° need a square image).
    func transposed(_ turn: QuarterTurn) -> Image {
        pixels.withUnsafeBufferPointer { input in
            Image(width: width, height: height) { output in
                for y in 0..<height {
                    for x in 0..<width {
                        let source: (x: Int, y: Int)
                        switch turn {
                        case .rotate90: source = (width - 1 - y, x)
                        case .rotate180: source = (width - 1 - x, height - 1 - y)
                        case .rotate270: source = (y, height - 1 - x)
                        }
                        copyPixel(input, (source.y * width + source.x) * 3, output, (y * width + x) * 3)
                    }
                }
            }
        }
    }

    /// torchvision's `_get_inverse_affine_matrix` (the matrix PIL applies to output coordinates).
    static func inverseAffineMatrix(center: (x: Double, y: Double), angle: Double, translate: (x: Double, y: Double),
                                    scale: Double, shear: (x: Double, y: Double)) -> [Double] {
        let rotation = angle * degreesToRadians, sx = shear.x * degreesToRadians, sy = shear.y * degreesToRadians
        let a = cos(rotation - sy) / cos(sy)
        let b = -cos(rotation - sy) * tan(sx) / cos(sy) - sin(rotation)
        let c = sin(rotation - sy) / cos(sy)
        let d = -sin(rotation - sy) * tan(sx) / cos(sy) + cos(rotation)
        var matrix = [d, -b, 0.0, -c, a, 0.0].map { $0 / scale }
        matrix[2] += matrix[0] * (-center.x - translate.x) + matrix[1] * (-center.y - translate.y)
        matrix[5] += matrix[3] * (-center.x - translate.x) + matrix[4] * (-center.y - translate.y)
        matrix[2] += center.x
        matrix[5] += center.y
        return matrix
    }

    /// CPython's `math.radians` factor (`math.degrees` divides by the same constant's reciprocal).
    static let degreesToRadians = Double.pi / 180.0
    /// CPython's `math.degrees` factor.
    static let radiansToDegrees = 180.0 / Double.pi

    /// Python's `round(value, 15)` (correctly rounded, like CPython's, through the C library's decimal formatting).
    static func roundedTo15Digits(_ value: Double) -> Double {
        Double(String(format: "%.15f", value)) ?? value
    }

    /// PIL's `COORD`: truncation, with every negative coordinate outside.
    private static func coordinate(_ value: Double) -> Int {
        value < 0 ? -1 : (value < 2147483648 ? Int(value) : Int.max)
    }

    /// PIL's `FLOOR`.
    private static func floor(_ value: Double) -> Int {
        let clamped = min(max(value, -2147483648), 2147483647)
        return Int(clamped.rounded(.down))
    }
}

@inline(__always)
private func copyPixel(_ input: UnsafeBufferPointer<UInt8>, _ from: Int, _ output: UnsafeMutableBufferPointer<UInt8>, _ to: Int) {
    output[to] = input[from]
    output[to + 1] = input[from + 1]
    output[to + 2] = input[from + 2]
}
