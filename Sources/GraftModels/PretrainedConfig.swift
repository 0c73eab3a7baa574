/// How a checkpoint expects its images and where its classifier is: the preprocessing contract of a model.
public struct PretrainedConfig: Codable, Sendable, Equatable {
    /// Side of the square crop fed to the network.
    public var inputSize: Int
    /// Shorter side after resizing, before the centre crop (evaluation) or random crop (training).
    public var resizeSize: Int
    /// Per-channel mean (RGB, on the [0, 1] scale).
    public var mean: [Double]
    /// Per-channel standard deviation (RGB, on the [0, 1] scale).
    public var std: [Double]
    /// Resampling filter used when the checkpoint was trained.
    public var interpolation: String
    /// State-dict name of the classifier layer, e.g. `fc` or `classifier.1`.
    public var classifierName: String
    /// Number of outputs of the classifier.
    public var numClasses: Int

    /// ImageNet's channel statistics, used by torchvision's checkpoints.
    public static let imageNetMean = [0.485, 0.456, 0.406]
    /// ImageNet's channel standard deviations.
    public static let imageNetStd = [0.229, 0.224, 0.225]

    /// Creates a configuration.
    public init(
        inputSize: Int = 224, resizeSize: Int = 256, mean: [Double] = imageNetMean, std: [Double] = imageNetStd,
        interpolation: String = "bilinear", classifierName: String, numClasses: Int = 1000
    ) {
        self.inputSize = inputSize
        self.resizeSize = resizeSize
        self.mean = mean
        self.std = std
        self.interpolation = interpolation
        self.classifierName = classifierName
        self.numClasses = numClasses
    }
}

/// A named set of parameters that is frozen, unfrozen and given a learning rate together (stem, stages, head).
public struct LayerGroup: Sendable, Equatable {
    /// Short name used in configs and logs, e.g. `layer4`.
    public var name: String
    /// State-dict name prefixes of the parameters in the group (a prefix matches itself and `prefix.…`).
    public var prefixes: [String]

    /// Creates a group.
    public init(_ name: String, _ prefixes: [String]) {
        self.name = name
        self.prefixes = prefixes
    }

    /// Whether a parameter name belongs to the group.
    public func contains(_ parameterName: String) -> Bool {
        prefixes.contains { parameterName == $0 || parameterName.hasPrefix($0 + ".") }
    }
}
