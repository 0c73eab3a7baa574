/// A random-access collection of labelled images.
public protocol ImageDataset: Sendable {
    /// Number of samples.
    var count: Int { get }
    /// Class names; a label is an index into this array.
    var classes: [String] { get }
    /// The label of sample `index` (0..<count).
    func label(at index: Int) -> Int
    /// A human-readable name of sample `index` for warnings (usually its path).
    func sampleName(at index: Int) -> String
    /// Decodes sample `index`; `minimumShorterSide` allows reduced-size JPEG decoding.
    func loadImage(at index: Int, minimumShorterSide: Int?) throws -> Image
}

extension ImageDataset {
    /// Class name → label.
    public var classToIndex: [String: Int] {
        Dictionary(classes.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { first, _ in first })
    }

    /// Every sample's label, in order.
    public var labels: [Int] { (0..<count).map(label(at:)) }
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

/// A view of some samples of another dataset (e.g. one side of a train/validation split).
public struct DatasetSubset<Base: ImageDataset>: ImageDataset {
    /// The full dataset.
    public let base: Base
    /// Indices into `base`, in subset order.
    public let indices: [Int]

    /// Selects `indices` (each must be in 0..<base.count).
    public init(base: Base, indices: [Int]) throws {
        if let bad = indices.first(where: { !(0..<base.count).contains($0) }) {
            throw DataError.invalidArgument("subset index \(bad) is outside 0..<\(base.count)")
        }
        self.base = base
        self.indices = indices
    }

    /// Number of selected samples.
    public var count: Int { indices.count }
    /// The base dataset's classes.
    public var classes: [String] { base.classes }
    /// The label of selected sample `index`.
    public func label(at index: Int) -> Int { base.label(at: indices[index]) }
    /// The name of selected sample `index`.
    public func sampleName(at index: Int) -> String { base.sampleName(at: indices[index]) }
    /// Decodes sample `index` (see `ImageDataset`).
    public func loadImage(at index: Int, minimumShorterSide: Int?) throws -> Image {
        try base.loadImage(at: indices[index], minimumShorterSide: minimumShorterSide)
    }
}

/// Byte-wise (UTF-8) ordering, the order of Python's `sorted()` on file names.
func utf8Less(_ a: String, _ b: String) -> Bool {
    a.utf8.lexicographicallyPrecedes(b.utf8)
}
