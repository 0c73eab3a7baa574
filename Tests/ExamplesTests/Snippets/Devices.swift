import Foundation
import Graft

/// The GPU article's program (TrainingOnAGPU.md): the model moved to the device before the learner is built, the
/// forward passes in mixed precision, and a prediction under autocast by hand.
enum DevicesExample {
    static func run(trainDirectory: String, validationDirectory: String, epochs: Int) throws -> (learner: Learner, logits: Tensor) {
        // snippet: train
        let device: Device = Device.isCUDAAvailable ? .cuda(0) : .cpu
        let settings = FineTuneSettings(epochs: epochs, strategy: .progressive, imageSize: 64)
        Engine.manualSeed(settings.seed)
        var pretrained = try PretrainedModel("mobilenet_v2")
        let data = try DataSpec(source: trainDirectory, validation: validationDirectory)
            .load(config: pretrained.model.pretrainedConfig, settings: settings)
        try pretrained.replaceHead(numClasses: data.train.classes.count)
        try pretrained.model.to(device)  // first: batches and feature caches follow the model's device

        let learner = try Learner(model: pretrained.model, data: data, settings: settings, callbacks: [ProgressCallback()])
        learner.precision = .bf16        // autocast; weights, optimizer state and checkpoints stay float32
        try learner.fit()
        // snippet: end

        // snippet: autocast
        let model = learner.model
        model.eval()
        let images = try Tensor.randn([2, 3, 64, 64], device: device)
        let logits = try withNoGrad {
            try withAutocast(.bfloat16, on: device) { try model(images) }  // bfloat16 logits
        }
        // snippet: end
        return (learner, logits)
    }
}
