import GraftNN
import GraftTensor

/// A pretrained image classifier: a backbone run in stages (convolutional, or a transformer's patch embedding and
/// encoder) whose output is pooled (global average pooling unless the architecture overrides `pool`, as the Vision
/// Transformer's class token does), and a replaceable linear head, with the preprocessing its checkpoint expects.
open class ImageClassifier: Classifier {
    /// Preprocessing contract and classifier location.
    public private(set) var pretrainedConfig: PretrainedConfig

    /// Whether inference (eval mode without gradient recording) feeds the backbone channels-last (NHWC) images, which
    /// oneDNN's CPU depthwise convolutions run faster (docs/performance.md); outputs equal the NCHW path's within float
    /// rounding. Training always runs NCHW: libtorch 1.13's channels-last backward gives different gradients.
    public var usesChannelsLast: Bool

    /// Creates the shared part of an image classifier.
    public init(name: String, pretrainedConfig: PretrainedConfig, classifier: Linear, usesChannelsLast: Bool = false) {
        self.pretrainedConfig = pretrainedConfig
        self.usesChannelsLast = usesChannelsLast
        super.init(name: name, classifier: classifier)
    }

    /// Global average pooling of the last stage's output [N, C, H, W], flattened to [N, C].
    open override func pool(_ input: Tensor) throws -> Tensor {
        try input.adaptiveAvgPool2d((1, 1)).flatten(start: 1)
    }

    /// Images [N, 3, H, W] in the memory format the backbone runs fastest in (see `usesChannelsLast`).
    open override func backboneInput(_ images: Tensor) throws -> Tensor {
        usesChannelsLast && !isTraining && !isGradEnabled && images.rank == 4 ? try images.channelsLast() : images
    }

    /// Replaces the head (see `Classifier.replaceHead`) and records the new class count in `pretrainedConfig`.
    open override func replaceHead(numClasses: Int) throws {
        try super.replaceHead(numClasses: numClasses)
        pretrainedConfig.numClasses = numClasses
    }
}
