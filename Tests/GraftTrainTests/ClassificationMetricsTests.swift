import GraftReport
import GraftTensor
import GraftTrain
import XCTest

/// The running metrics equal the same numbers computed at once from all predictions.
final class ClassificationMetricsTests: XCTestCase {
    func testBatchByBatchEqualsAllAtOnce() throws {
        Engine.manualSeed(3)
        let logits = try Tensor.randn([50, 4])
        let labels = try Tensor.randint(low: 0, high: 4, [50])
        var metrics = ClassificationMetrics(classCount: 4, topK: [1, 2])
        for start in stride(from: 0, to: 50, by: 16) {
            let rows = try Tensor((start..<min(start + 16, 50)).map { Int64($0) })
            let batchLogits = try logits.indexSelect(dim: 0, index: rows), batchLabels = try labels.indexSelect(dim: 0, index: rows)
            try metrics.add(logits: batchLogits, labels: batchLabels, loss: Double(start))
        }
        let scores = try logits.to(.float64).scalars(as: Double.self)
        let rows = (0..<50).map { Array(scores[($0 * 4)..<($0 * 4 + 4)]) }
        let truth = try labels.scalars(as: Int64.self).map(Int.init)
        let predicted = rows.map { row in row.indices.max { row[$0] < row[$1] }! }
        let names = ["a", "b", "c", "d"]
        XCTAssertEqual(try metrics.confusionMatrix(classNames: names), try ConfusionMatrix(predictions: predicted, labels: truth, classNames: names))
        XCTAssertEqual(metrics.accuracy, Double(zip(predicted, truth).filter { $0 == $1 }.count) / 50, accuracy: 1e-12)
        XCTAssertEqual(try metrics.topKAccuracy(1), metrics.accuracy, accuracy: 1e-12)
        XCTAssertEqual(try metrics.topKAccuracy(2), try topKAccuracy(scores: rows, labels: truth, k: 2), accuracy: 1e-12)
        let weightedLosses: Double = 0 * 16 + 16 * 16 + 32 * 16 + 48 * 2
        XCTAssertEqual(metrics.meanLoss, weightedLosses / 50, accuracy: 1e-12, "sample-weighted mean")
        XCTAssertEqual(try metrics.report(classNames: names).accuracy, metrics.accuracy, accuracy: 1e-12)
        XCTAssertThrowsError(try metrics.topKAccuracy(3))
        XCTAssertThrowsError(try metrics.confusionMatrix(classNames: ["a"]))
        XCTAssertThrowsError(try metrics.add(logits: logits, labels: try Tensor.randint(low: 0, high: 4, [3])))
    }
}
