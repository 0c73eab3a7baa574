/// MNIST-format (IDX) images and labels, gzip-compressed or plain, e.g. Debian's Fashion-MNIST.
/// Grey images are returned as RGB (the grey value in all three channels).
public struct IDXDataset: ImageDataset {
    /// Fashion-MNIST's ten class names, in label order.
    public static let fashionMNISTClasses = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                             "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]

    /// Class names (label order).
    public let classes: [String]
    /// Image height in pixels.
    public let height: Int
    /// Image width in pixels.
    public let width: Int
    private let pixels: [UInt8]
    private let labelValues: [UInt8]
    private let imagePath: String

    /// Reads an images file (3-D, unsigned bytes) and a labels file (1-D); counts must agree and labels
    /// must index `classes` (default: "0"..."max label").
    public init(imagesPath: String, labelsPath: String, classes: [String]? = nil) throws {
        let images = try IDXFile(path: imagesPath)
        let labels = try IDXFile(path: labelsPath)
        guard images.dimensions.count == 3 else {
            throw DataError.invalidIDX(path: imagesPath, offset: 3, reason: "images need 3 dimensions, found \(images.dimensions.count)")
        }
        guard images.dimensions[1] > 0, images.dimensions[2] > 0 else {
            throw DataError.invalidIDX(path: imagesPath, offset: 8, reason: "image size \(images.dimensions[1])×\(images.dimensions[2]) is empty")
        }
        guard labels.dimensions.count == 1 else {
            throw DataError.invalidIDX(path: labelsPath, offset: 3, reason: "labels need 1 dimension, found \(labels.dimensions.count)")
        }
        guard images.dimensions[0] == labels.dimensions[0] else {
            throw DataError.invalidIDX(path: labelsPath, offset: 4, reason: "\(labels.dimensions[0]) labels for \(images.dimensions[0]) images in `\(imagesPath)`")
        }
        let maximum = Int(labels.values.max() ?? 0)
        let names = classes ?? (0...maximum).map(String.init)
        guard maximum < names.count else {
            throw DataError.invalidIDX(path: labelsPath, offset: labels.dataOffset, reason: "label \(maximum) but only \(names.count) classes")
        }
        self.classes = names
        self.height = images.dimensions[1]
        self.width = images.dimensions[2]
        self.pixels = images.values
        self.labelValues = labels.values
        self.imagePath = imagesPath
    }

    /// Number of images.
    public var count: Int { labelValues.count }
    /// The label of image `index`.
    public func label(at index: Int) -> Int { Int(labelValues[index]) }
    /// `<images file>#<index>`.
    public func sampleName(at index: Int) -> String { "\(imagePath)#\(index)" }

    /// Decodes sample `index` (see `ImageDataset`).
    public func loadImage(at index: Int, minimumShorterSide: Int?) throws -> Image {
        let plane = width * height
        return pixels.withUnsafeBufferPointer { grey in
            Image(width: width, height: height) { rgb in
                for pixel in 0..<plane {
                    let value = grey[index * plane + pixel]
                    rgb[pixel * 3] = value
                    rgb[pixel * 3 + 1] = value
                    rgb[pixel * 3 + 2] = value
                }
            }
        }
    }
}

/// One parsed IDX file of unsigned bytes.
struct IDXFile {
    var dimensions: [Int]
    var values: [UInt8]
    var dataOffset: Int

    /// Reads, gunzips if needed, and validates the header against the data length.
    init(path: String) throws {
        let raw = try FileBytes.read(path)
        let bytes = Gzip.isGzip(raw) ? try Gzip.decompress(raw, path: path) : raw
        guard bytes.count >= 4, bytes[0] == 0, bytes[1] == 0 else {
            throw DataError.invalidIDX(path: path, offset: 0, reason: "magic number must start with two zero bytes")
        }
        guard bytes[2] == 0x08 else {
            throw DataError.invalidIDX(path: path, offset: 2, reason: "element type 0x\(String(bytes[2], radix: 16)) unsupported (only 0x08, unsigned byte)")
        }
        let rank = Int(bytes[3])
        dataOffset = 4 + rank * 4
        guard rank > 0, bytes.count >= dataOffset else {
            throw DataError.invalidIDX(path: path, offset: 3, reason: "header of \(rank) dimensions does not fit in \(bytes.count) bytes")
        }
        dimensions = (0..<rank).map { axis in (0..<4).reduce(0) { $0 << 8 | Int(bytes[4 + axis * 4 + $1]) } }
        let expected = dimensions.reduce(1, *)
        guard bytes.count - dataOffset == expected else {
            throw DataError.invalidIDX(path: path, offset: bytes.count, reason: "dimensions \(dimensions) need \(expected) data bytes, found \(bytes.count - dataOffset)")
        }
        values = Array(bytes[dataOffset...])
    }
}
