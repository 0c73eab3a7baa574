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

    @Option(help: "Memory format: model (the architecture's own choice, ImageClassifier.usesChannelsLast), nchw or channels-last.")
    var memoryFormat = MemoryFormat.model

    /// Which layout the backbone runs in.
    enum MemoryFormat: String, ExpressibleByArgument {
        case model, nchw, channelsLast = "channels-last"
    }

    /// The registry model with the requested memory format and `common`'s model switches applied, on `device`.
    func make(applying common: CommonOptions, on device: Device) throws -> ImageClassifier {
        let classifier = try Models.make(model, numClasses: 1000)
        if memoryFormat != .model { classifier.usesChannelsLast = memoryFormat == .channelsLast }
        common.configure(classifier)
        try classifier.to(device)
        return classifier
    }

    /// A random input batch [batch, 3, size, size] and random labels, created on `device`.
    func inputs(batch: Int, classes: Int, on device: Device) throws -> (images: Tensor, labels: Tensor) {
        (try Tensor.randn([batch, 3, size, size], device: device), try Tensor.randint(low: 0, high: classes, [batch], device: device))
    }

    /// Parameters the result line carries.
    func reported(_ classifier: ImageClassifier) -> [String: Any] {
        ["model": model, "size": size, "channels_last": classifier.usesChannelsLast]
    }
}

/// `step`: one training step (forward, cross-entropy, backward, Adam) of a registry model. In fp16 the loss is
/// scaled by a `GradientScaler` and a step whose gradients overflowed is skipped, as with PyTorch's `GradScaler`.
struct StepCase: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "step", abstract: "Time forward + cross-entropy + backward + Adam.")

    @OptionGroup var common: CommonOptions
    @OptionGroup var options: ModelOptions
    @OptionGroup var compute: ComputeOptions

    func run() throws {
        common.configureEngine()
        let device = compute.device
        let model = try options.make(applying: common, on: device)
        model.train()
        let parameters = model.parameters()
        let optimizer = try Adam(groups: [ParameterGroup(name: "all", parameters: parameters, learningRate: 1e-3)])
        let scaler = compute.precision.needsLossScaling ? GradientScaler() : nil
        let (images, labels) = try options.inputs(batch: common.batch, classes: 1000, on: device)
        let runs = try common.timedRuns {
            try optimizer.zeroGrad()
            let loss = try compute.forward { try model(images).crossEntropy(targets: labels) }
            try (scaler.map { try $0.scaled(loss) } ?? loss).backward()
            if try scaler?.unscaleAndUpdate(parameters.compactMap(\.grad)) ?? true { try optimizer.step() }
            try device.synchronize()
        }
        let reported = common.reported.merging(options.reported(model)) { $1 }.merging(compute.reported) { $1 }
        try ResultLine(benchmark: "step", parameters: reported, runs: runs, imagesPerRepetition: common.batch).print()
    }
}

/// `infer`: eval-mode forward pass without gradient recording.
struct InferCase: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "infer", abstract: "Time eval-mode inference without gradients.")

    @OptionGroup var common: CommonOptions
    @OptionGroup var options: ModelOptions
    @OptionGroup var compute: ComputeOptions

    func run() throws {
        common.configureEngine()
        let model = try options.make(applying: common, on: compute.device)
        model.eval()
        let (images, _) = try options.inputs(batch: common.batch, classes: 1000, on: compute.device)
        let runs = try common.timedRuns {
            _ = try withNoGrad { try compute.forward { try model(images) } }
            try compute.device.synchronize()
        }
        let reported = common.reported.merging(options.reported(model)) { $1 }.merging(compute.reported) { $1 }
        try ResultLine(benchmark: "infer", parameters: reported, runs: runs, imagesPerRepetition: common.batch).print()
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
        let runs = try common.timedRuns {
            try network.forwardBackward(images, labels)
        }
        try ResultLine(benchmark: "overhead", parameters: common.reported.merging(["model": "resnet18-ops", "size": size]) { $1 },
                       runs: runs, imagesPerRepetition: common.batch).print()
    }
}
