/// A float image in planar CHW layout (what `ToTensor` produces and `Normalize` consumes).
public struct FloatImage: Sendable, Equatable {
    /// Number of planes (3 for RGB).
    public let channels: Int
    /// Height in pixels.
    public let height: Int
    /// Width in pixels.
    public let width: Int
    /// `channels * height * width` values, plane after plane.
    public var values: [Float]
}

/// `torchvision.transforms.ToTensor`: HWC bytes → CHW floats in [0, 1].
public enum ToTensor {
    /// Converts an RGB image to planar floats divided by 255.
    public static func apply(_ image: Image) -> FloatImage {
        let plane = image.width * image.height
        var values = [Float](repeating: 0, count: plane * 3)
        image.pixels.withUnsafeBufferPointer { input in
            values.withUnsafeMutableBufferPointer { output in
                for pixel in 0..<plane {
                    for channel in 0..<3 { output[channel * plane + pixel] = Float(input[pixel * 3 + channel]) / 255 }
                }
            }
        }
        return FloatImage(channels: 3, height: image.height, width: image.width, values: values)
    }
}

/// `torchvision.transforms.Normalize`: `(x - mean[c]) / std[c]` per channel.
public struct Normalize: Sendable, Equatable {
    /// Per-channel means (RGB).
    public let mean: [Float]
    /// Per-channel standard deviations (RGB).
    public let std: [Float]

    /// ImageNet statistics used by torchvision's pretrained classifiers.
    public static let imageNet = Normalize(uncheckedMean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225])

    /// Per-channel statistics; needs three means and three positive standard deviations.
    public init(mean: [Float], std: [Float]) throws {
        guard mean.count == 3, std.count == 3, std.allSatisfy({ $0 > 0 }) else {
            throw DataError.invalidArgument("normalize needs 3 means and 3 positive stds, got mean \(mean) std \(std)")
        }
        self.mean = mean
        self.std = std
    }

    private init(uncheckedMean mean: [Float], std: [Float]) {
        self.mean = mean
        self.std = std
    }

    /// Normalizes a CHW float image in place of a copy.
    public func apply(_ image: FloatImage) -> FloatImage {
        var result = image
        let plane = image.height * image.width
        for channel in 0..<min(image.channels, 3) {
            for index in channel * plane..<(channel + 1) * plane {
                result.values[index] = (result.values[index] - mean[channel]) / std[channel]
            }
        }
        return result
    }

    /// For each channel, the normalized value of every byte 0...255, computed with the same float operations as
    /// `ToTensor` followed by `apply`, so a lookup gives identical results.
    func lookupTables() -> [[Float]] {
        (0..<3).map { channel in (0...255).map { (Float($0) / 255 - mean[channel]) / std[channel] } }
    }
}
