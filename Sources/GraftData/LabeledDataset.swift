/// A random-access collection of labelled samples of any kind (images, texts): what splits, subsets and class
/// statistics need, without loading a sample.
public protocol LabeledDataset: Sendable {
    /// Number of samples.
    var count: Int { get }
    /// Class names; a label is an index into this array.
    var classes: [String] { get }
    /// The label of sample `index` (0..<count).
    func label(at index: Int) -> Int
    /// A human-readable name of sample `index` for warnings (a path, or `file:line`).
    func sampleName(at index: Int) -> String
}

extension LabeledDataset {
    /// Class name → label.
    public var classToIndex: [String: Int] {
        Dictionary(classes.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { first, _ in first })
    }

    /// Every sample's label, in order.
    public var labels: [Int] { (0..<count).map(label(at:)) }
}

/// A view of some samples of another dataset (e.g. one side of a train/validation split). It is an `ImageDataset`
/// when its base is one (and a text dataset when its base is one).
public struct DatasetSubset<Base: LabeledDataset>: LabeledDataset {
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
}
