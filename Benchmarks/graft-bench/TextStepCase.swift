import ArgumentParser
import GraftModels
import GraftTensor
import GraftTrain

/// `text-step`: one full fine-tuning step of all-MiniLM-L6-v2 with a mean-pooled linear head (forward, cross-entropy,
/// backward, Adam over every parameter) on random token rows, half of them padded to three quarters of the length.
struct TextStepCase: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "text-step", abstract: "Time a full fine-tuning step of all-MiniLM-L6-v2 (text classification).")

    @OptionGroup var common: CommonOptions

    @Option(help: "Tokens per row (padded length).")
    var length = 64

    @Option(help: "Number of classes of the new head.")
    var classes = 2

    mutating func validate() throws {
        guard length >= 4, length <= 256, classes >= 2 else { throw ValidationError("--length must be in 4...256, --classes ≥ 2") }
    }

    func run() throws {
        common.configureEngine()
        let model = try PretrainedTextModel("minilm_l6", numClasses: classes, seed: common.seed).model
        model.train()
        let optimizer = try Adam(groups: [ParameterGroup(name: "all", parameters: model.parameters(), learningRate: 2e-5)])
        let (rows, labels) = try inputs()
        let runs = try common.timedRuns {
            try optimizer.zeroGrad()
            try model(rows).crossEntropy(targets: labels).backward()
            try optimizer.step()
        }
        try ResultLine(benchmark: "text-step", parameters: common.reported.merging(["model": "minilm_l6", "length": length]) { $1 },
                       runs: runs, imagesPerRepetition: common.batch).print()
    }

    /// Packed token rows [batch, 3, length] (ids in 1000..<20000, odd rows padded after 3/4 of the length) and labels.
    func inputs() throws -> (rows: Tensor, labels: Tensor) {
        let kept = length * 3 / 4
        let mask = (0..<common.batch).flatMap { row in (0..<length).map { Int64(row % 2 == 1 && $0 >= kept ? 0 : 1) } }
        let maskTensor = try Tensor(mask, shape: [common.batch, length])
        let ids = try Tensor.randint(low: 1000, high: 20000, [common.batch, length]) * maskTensor
        let rows = try TextClassifier.pack(ids: ids, typeIds: Tensor.zeros([common.batch, length], dtype: .int64), mask: maskTensor)
        return (rows, try Tensor.randint(low: 0, high: classes, [common.batch]))
    }
}
