/// Counts of (true class, predicted class) pairs: rows are true classes, columns predicted ones (like scikit-learn).
public struct ConfusionMatrix: Codable, Sendable, Equatable {
    /// One name per class index.
    public let classNames: [String]
    /// `counts[t][p]` = samples of true class `t` predicted as `p`.
    public let counts: [[Int]]

    /// Tallies predictions against true labels; every value must be a class index.
    public init(predictions: [Int], labels: [Int], classNames: [String]) throws {
        guard !classNames.isEmpty else { throw GraftReportError.noClasses }
        guard predictions.count == labels.count else {
            throw GraftReportError.lengthMismatch(predictions: predictions.count, labels: labels.count)
        }
        guard !labels.isEmpty else { throw GraftReportError.noSamples }
        let classCount = classNames.count
        var counts = Array(repeating: Array(repeating: 0, count: classCount), count: classCount)
        for (sample, (predicted, truth)) in zip(predictions, labels).enumerated() {
            guard (0..<classCount).contains(truth) else {
                throw GraftReportError.classIndexOutOfRange(
                    what: "true label", sample: sample, value: truth, classCount: classCount)
            }
            guard (0..<classCount).contains(predicted) else {
                throw GraftReportError.classIndexOutOfRange(
                    what: "prediction", sample: sample, value: predicted, classCount: classCount)
            }
            counts[truth][predicted] += 1
        }
        self.classNames = classNames
        self.counts = counts
    }

    /// Wraps existing counts after checking they form a square matrix of non-negative counts, one row per class.
    public init(classNames: [String], counts: [[Int]]) throws {
        guard !classNames.isEmpty else { throw GraftReportError.noClasses }
        guard counts.count == classNames.count, counts.allSatisfy({ $0.count == classNames.count }) else {
            throw GraftReportError.malformedConfusionMatrix(
                "expected \(classNames.count)x\(classNames.count) counts for \(classNames.count) class names")
        }
        guard counts.joined().allSatisfy({ $0 >= 0 }) else {
            throw GraftReportError.malformedConfusionMatrix("counts must be >= 0")
        }
        self.classNames = classNames
        self.counts = counts
    }

    /// Decodes a saved matrix and checks its shape like `init(classNames:counts:)`.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            classNames: try container.decode([String].self, forKey: .classNames),
            counts: try container.decode([[Int]].self, forKey: .counts))
    }

    /// The number of classes.
    public var classCount: Int { classNames.count }

    /// All samples counted.
    public var total: Int { counts.reduce(0) { $0 + $1.reduce(0, +) } }

    /// Correctly classified samples of class `index` (the diagonal).
    public func truePositives(_ index: Int) -> Int { counts[index][index] }

    /// Samples whose true class is `index` (the row sum, scikit-learn's support).
    public func support(_ index: Int) -> Int { counts[index].reduce(0, +) }

    /// Samples predicted as class `index` (the column sum).
    public func predictedCount(_ index: Int) -> Int { counts.reduce(0) { $0 + $1[index] } }
}
