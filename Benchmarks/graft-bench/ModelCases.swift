import ArgumentParser
import GraftModels
import GraftTensor
import GraftTrain

/// Options of the cases that run a registry model on a random batch.
struct ModelOptions: ParsableArguments {
    @Option(help: "Registry model name (resnet18, resnet50, mobilenet_v2, efficientnet_lite0, …).")
    var model = "resnet18"

    @Option(help: "Image height and width in pixels.")
    var size = 224

    @Flag(help: "Feed the batch in channels-last (NHWC) memory format.")
    var channelsLast = false

    /// A random input batch [batch, 3, size, size] (channels-last when asked) and random labels.
    func inputs(batch: Int, classes: Int) throws -> (images: Tensor, labels: Tensor) {
        let images = try Tensor.randn([batch, 3, size, size])
        return (channelsLast ? try images.channelsLast() : images, try Tensor.randint(low: 0, high: classes, [batch]))
    }

    /// Parameters the result line carries.
    var reported: [String: Any] { ["model": model, "size": size, "channels_last": channelsLast] }
}

/// `step`: one training step (forward, cross-entropy, backward, Adam) of a registry model.
struct StepCase: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "step", abstract: "Time forward + cross-entropy + backward + Adam.")

    @OptionGroup var common: CommonOptions
    @OptionGroup var options: ModelOptions

    func run() throws {
        common.configureEngine()
        let model = try Models.make(options.model, numClasses: 1000)
        model.train()
        let optimizer = try Adam(groups: [ParameterGroup(name: "all", parameters: model.parameters(), learningRate: 1e-3)])
        let (images, labels) = try options.inputs(batch: common.batch, classes: 1000)
        let runs = try Measurement.runs(warmup: common.warmup, repeats: common.repeats) {
            try optimizer.zeroGrad()
            try model(images).crossEntropy(targets: labels).backward()
            try optimizer.step()
        }
        try ResultLine(benchmark: "step", parameters: common.reported.merging(options.reported) { $1 },
                       runs: runs, imagesPerRepetition: common.batch).print()
    }
}

/// `infer`: eval-mode forward pass without gradient recording.
struct InferCase: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "infer", abstract: "Time eval-mode inference without gradients.")

    @OptionGroup var common: CommonOptions
    @OptionGroup var options: ModelOptions

    func run() throws {
        common.configureEngine()
        let model = try Models.make(options.model, numClasses: 1000)
        model.eval()
        let (images, _) = try options.inputs(batch: common.batch, classes: 1000)
        let runs = try Measurement.runs(warmup: common.warmup, repeats: common.repeats) {
            _ = try withNoGrad { try model(images) }
        }
        try ResultLine(benchmark: "infer", parameters: common.reported.merging(options.reported) { $1 },
                       runs: runs, imagesPerRepetition: common.batch).print()
    }
}

/// `overhead`: ResNet-18's computation from raw `Tensor` operations, forward + backward.
struct OverheadCase: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "overhead", abstract: "Time a ResNet-18-shaped stack of Tensor ops, forward + backward.")

    @OptionGroup var common: CommonOptions

    @Option(help: "Image height and width in pixels.")
    var size = 112

    func run() throws {
        common.configureEngine()
        let network = try OverheadNetwork()
        let images = try Tensor.randn([common.batch, 3, size, size])
        let labels = try Tensor.randint(low: 0, high: 1000, [common.batch])
        let runs = try Measurement.runs(warmup: common.warmup, repeats: common.repeats) {
            try network.forwardBackward(images, labels)
        }
        try ResultLine(benchmark: "overhead", parameters: common.reported.merging(["model": "resnet18-ops", "size": size]) { $1 },
                       runs: runs, imagesPerRepetition: common.batch).print()
    }
}
