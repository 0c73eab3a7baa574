import Foundation

/// What `graft data check DIR` reports about a file dataset.
public struct DatasetCheckReport: Sendable {
    /// One unreadable file and why.
    public struct Problem: Sendable, Equatable {
        /// The file.
        public let path: String
        /// The decoder's or file system's reason.
        public let reason: String
    }

    /// Where the dataset lives (for the heading).
    public let source: String
    /// Class names with their number of files, in label order.
    public let classCounts: [(name: String, count: Int)]
    /// Smallest and largest width and height among readable images, nil when none was readable.
    public let widthRange: ClosedRange<Int>?
    /// See `widthRange`.
    public let heightRange: ClosedRange<Int>?
    /// Files that could not be decoded.
    public let unreadable: [Problem]
    /// Groups of files with identical content (each group sorted, two or more paths).
    public let duplicates: [[String]]
    /// A warning when the largest class exceeds the smallest by more than the threshold.
    public let imbalanceWarning: String?

    /// A multi-line human-readable rendering.
    public var text: String {
        let total = classCounts.reduce(0) { $0 + $1.count }
        var lines = ["dataset \(source): \(total) files in \(classCounts.count) classes"]
        let width = classCounts.map(\.name.count).max() ?? 0
        lines += classCounts.map { "  \($0.name.padding(toLength: width, withPad: " ", startingAt: 0))  \($0.count)" }
        if let widthRange, let heightRange {
            lines.append("image sizes: width \(widthRange.lowerBound)...\(widthRange.upperBound), height \(heightRange.lowerBound)...\(heightRange.upperBound)")
        }
        lines.append("unreadable files: \(unreadable.count)")
        lines += unreadable.map { "  \(RawFileName.displayed($0.path)): \($0.reason)" }
        lines.append("duplicate groups: \(duplicates.count)")
        lines += duplicates.map { "  " + $0.map(RawFileName.displayed).joined(separator: " = ") }
        if let imbalanceWarning { lines.append("warning: " + imbalanceWarning) }
        return lines.joined(separator: "\n")
    }
}

/// Scans every file of a dataset: decodability, sizes, duplicates, class balance.
public enum DatasetCheck {
    /// Decodes every file (on `workers` threads) and summarises; `imbalanceRatio` is the largest/smallest class
    /// ratio above which a warning is given.
    public static func run(_ dataset: some FileImageDataset, source: String, imbalanceRatio: Double = 3,
                           workers: Int = ProcessInfo.processInfo.activeProcessorCount) -> DatasetCheckReport {
        let results = ParallelResults<FileFacts>(count: dataset.count)
        let queue = DispatchQueue(label: "graft.data-check", attributes: .concurrent)
        let group = DispatchGroup()
        let stride = max(1, workers)
        for worker in 0..<stride {
            queue.async(group: group) {
                for index in Swift.stride(from: worker, to: dataset.count, by: stride) {
                    results.set(index, FileFacts.inspect(dataset.samples[index].path))
                }
            }
        }
        group.wait()
        let facts = results.values

        var counts = Array(repeating: 0, count: dataset.classes.count)
        for sample in dataset.samples where counts.indices.contains(sample.label) { counts[sample.label] += 1 }
        let sizes = facts.compactMap { $0?.size }
        let problems = zip(dataset.samples, facts).compactMap { sample, fact in
            fact?.failure.map { DatasetCheckReport.Problem(path: sample.path, reason: $0) }
        }
        var byHash: [ContentHash: [String]] = [:]
        for (sample, fact) in zip(dataset.samples, facts) {
            if let hash = fact?.hash { byHash[hash, default: []].append(sample.path) }
        }
        let duplicates = byHash.values.filter { $0.count > 1 }.map { $0.sorted(by: utf8Less) }.sorted { utf8Less($0[0], $1[0]) }
        return DatasetCheckReport(
            source: source,
            classCounts: zip(dataset.classes, counts).map { ($0, $1) },
            widthRange: sizes.isEmpty ? nil : (sizes.map(\.width).min() ?? 0)...(sizes.map(\.width).max() ?? 0),
            heightRange: sizes.isEmpty ? nil : (sizes.map(\.height).min() ?? 0)...(sizes.map(\.height).max() ?? 0),
            unreadable: problems,
            duplicates: duplicates,
            imbalanceWarning: imbalance(classes: dataset.classes, counts: counts, ratio: imbalanceRatio))
    }

    private static func imbalance(classes: [String], counts: [Int], ratio: Double) -> String? {
        guard let largest = counts.indices.max(by: { counts[$0] < counts[$1] }),
              let smallest = counts.indices.min(by: { counts[$0] < counts[$1] }) else { return nil }
        let actual = Double(counts[largest]) / Double(max(counts[smallest], 1))
        guard actual > ratio else { return nil }
        return "class imbalance: `\(classes[largest])` has \(counts[largest]) files, `\(classes[smallest])` has \(counts[smallest]) "
            + "(\(String(format: "%.1f", actual))× > \(String(format: "%.1f", ratio))×); consider class weights or resampling"
    }
}

/// A 128-bit content fingerprint (two independent 64-bit FNV-1a variants) plus the length.
struct ContentHash: Hashable, Sendable {
    let first: UInt64
    let second: UInt64
    let length: Int

    init(_ bytes: [UInt8]) {
        var a: UInt64 = 0xCBF2_9CE4_8422_2325, b: UInt64 = 0x6C62_272E_07BB_0142
        for byte in bytes {
            a = (a ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            b = (b ^ UInt64(byte)) &* 0x0000_0100_0000_0233 &+ 0x9E37_79B9
        }
        first = a
        second = b
        length = bytes.count
    }
}

/// What one file contributed to the check.
private struct FileFacts: Sendable {
    var size: (width: Int, height: Int)?
    var failure: String?
    var hash: ContentHash?

    static func inspect(_ path: String) -> FileFacts {
        do {
            let bytes = try FileBytes.read(path)
            let hash = ContentHash(bytes)
            do {
                let image = try ImageDecoder.decode(bytes, path: path)
                return FileFacts(size: (image.width, image.height), failure: nil, hash: hash)
            } catch {
                return FileFacts(size: nil, failure: reason(error), hash: hash)
            }
        } catch {
            return FileFacts(size: nil, failure: reason(error), hash: nil)
        }
    }

    /// The error text without the leading "`path`: " the report already shows.
    private static func reason(_ error: Error) -> String {
        let text = String(describing: error)
        guard let range = text.range(of: "`: ") else { return text }
        return String(text[range.upperBound...])
    }
}

/// A fixed-size array filled from several threads, each index written once.
public final class ParallelResults<Value: Sendable>: @unchecked Sendable {
    // @unchecked: every access to `storage` goes through `lock`.
    private var storage: [Value?]
    private let lock = NSLock()

    /// `count` empty slots.
    public init(count: Int) { storage = Array(repeating: nil, count: count) }

    /// Fills slot `index`.
    public func set(_ index: Int, _ value: Value) {
        lock.lock()
        storage[index] = value
        lock.unlock()
    }

    /// Every slot, nil where nothing was set.
    public var values: [Value?] {
        lock.lock()
        defer { lock.unlock() }
        return storage
    }
}
