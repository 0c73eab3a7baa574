/// The fraction of samples whose true class is among the `k` highest scores, ties broken like scikit-learn's
/// `top_k_accuracy_score` (among equal scores the higher class index ranks first). For two classes it ranks the two
/// scores too, where scikit-learn instead wants one score per sample and thresholds it.
public func topKAccuracy(scores: [[Double]], labels: [Int], k: Int) throws -> Double {
    guard k >= 1 else { throw GraftReportError.invalidTopK(k) }
    guard scores.count == labels.count else {
        throw GraftReportError.lengthMismatch(predictions: scores.count, labels: labels.count)
    }
    guard let classCount = scores.first?.count, classCount > 0 else { throw GraftReportError.noSamples }
    var hits = 0
    for (sample, (row, truth)) in zip(scores, labels).enumerated() {
        guard row.count == classCount else {
            throw GraftReportError.scoreCountMismatch(sample: sample, count: row.count, classCount: classCount)
        }
        guard (0..<classCount).contains(truth) else {
            throw GraftReportError.classIndexOutOfRange(
                what: "true label", sample: sample, value: truth, classCount: classCount)
        }
        // The true class is in the top k when fewer than k classes outrank it.
        let truthScore = row[truth]
        let outranking = row.indices.filter { index in
            index != truth && (row[index] > truthScore || (row[index] == truthScore && index > truth))
        }.count
        if outranking < k { hits += 1 }
    }
    return Double(hits) / Double(labels.count)
}
