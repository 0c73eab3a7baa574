/// A random-access collection of labelled images.
public protocol ImageDataset: LabeledDataset {
    /// Decodes sample `index`; `minimumShorterSide` allows reduced-size JPEG decoding.
    func loadImage(at index: Int, minimumShorterSide: Int?) throws -> Image
}

/// One image file and its label.
public struct LabeledFile: Sendable, Equatable {
    /// Path of the image file.
    public let path: String
    /// Index into the dataset's classes.
    public let label: Int

    /// Pairs a path with a label.
    public init(path: String, label: Int) {
        self.path = path
        self.label = label
    }
}

/// A dataset whose samples are image files on disk.
public protocol FileImageDataset: ImageDataset {
    /// The files, in dataset order.
    var samples: [LabeledFile] { get }
}

extension FileImageDataset {
    /// Number of files.
    public var count: Int { samples.count }
    /// The label of file `index`.
    public func label(at index: Int) -> Int { samples[index].label }
    /// The path of file `index`.
    public func sampleName(at index: Int) -> String { samples[index].path }
    /// Decodes sample `index` (see `ImageDataset`).
    public func loadImage(at index: Int, minimumShorterSide: Int?) throws -> Image {
        try ImageDecoder.decodeFile(atPath: samples[index].path, minimumShorterSide: minimumShorterSide)
    }
}

extension DatasetSubset: ImageDataset where Base: ImageDataset {
    /// Decodes sample `index` (see `ImageDataset`).
    public func loadImage(at index: Int, minimumShorterSide: Int?) throws -> Image {
        try base.loadImage(at: indices[index], minimumShorterSide: minimumShorterSide)
    }
}

/// Byte-wise (UTF-8) ordering, the order of Python's `sorted()` on file names.
func utf8Less(_ a: String, _ b: String) -> Bool {
    a.utf8.lexicographicallyPrecedes(b.utf8)
}
