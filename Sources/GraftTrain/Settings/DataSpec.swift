import Foundation
import GraftData
import GraftModels

/// Where a run's images come from, as the user gave it; saved in checkpoints so `--resume` finds the same data.
public struct DataSpec: Codable, Sendable, Equatable {
    /// An ImageFolder directory, a CSV/TSV of `filename,label`, or `fashion-mnist` (Debian's dataset-fashion-mnist).
    public var source: String
    /// The image directory a CSV's file names are relative to.
    public var images: String?
    /// A separate validation ImageFolder or CSV; without it `validationSplit` of the training data is held out.
    public var validation: String?
    /// Fraction held out for validation when there is no separate validation set.
    public var validationSplit = 0.2
    /// Use at most this many training images (a stratified, seeded subset).
    public var trainLimit: Int?
    /// Use at most this many validation images.
    public var validationLimit: Int?
    /// Text data: read only the rows labelled with one of these classes (nil: every row).
    public var classes: [String]?

    /// The Debian package's files.
    public static let fashionMNISTDirectory = "/usr/share/datasets/fashion-mnist"

    /// Describes a source.
    public init(source: String, images: String? = nil, validation: String? = nil, validationSplit: Double = 0.2,
                trainLimit: Int? = nil, validationLimit: Int? = nil, classes: [String]? = nil) {
        self.source = source
        self.images = images
        self.validation = validation
        self.validationSplit = validationSplit
        self.trainLimit = trainLimit
        self.validationLimit = validationLimit
        self.classes = classes
    }

    /// Opens the datasets (every file listed, labels checked) and builds the preprocessing from the model's
    /// pretrained configuration, overridden only by explicit settings.
    public func load(config: PretrainedConfig, settings: FineTuneSettings) throws -> TrainingData {
        guard classes == nil else {
            throw TrainingError.invalidSetting("classes", "classes selects labels of text data; for images, give a folder holding only those classes")
        }
        guard (0..<1).contains(validationSplit) else {
            throw TrainingError.invalidSetting("validationSplit", "validationSplit must be in [0, 1) (got \(validationSplit))")
        }
        var (train, validation) = try openDatasets(seed: settings.seed)
        guard train.classes == validation.classes else {
            throw TrainingError.invalidConfiguration(
                "training classes \(train.classes) differ from validation classes \(validation.classes)")
        }
        if let trainLimit { train = try Self.limit(train, to: trainLimit, seed: settings.seed) }
        if let validationLimit { validation = try Self.limit(validation, to: validationLimit, seed: settings.seed &+ 1) }
        let transforms = try Self.transforms(config: config, settings: settings)
        return TrainingData(
            train: train, validation: validation, trainTransform: transforms.train, evalTransform: transforms.eval,
            description: "\(source): \(train.count) train / \(validation.count) validation images, \(train.classes.count) classes")
    }

    /// The training and evaluation preprocessing for a model: its pretrained configuration, scaled to
    /// `settings.imageSize` and with `settings.mean`/`std` when those override it, resampling with its interpolation
    /// (bilinear or bicubic, as torchvision's weights ask); training uses `settings.augmentation` and `settings.flip`.
    public static func transforms(config: PretrainedConfig, settings: FineTuneSettings) throws -> (train: TransformPipeline, eval: TransformPipeline) {
        let run = preprocessing(config: config, settings: settings)
        let mean = run.mean.map(Float.init), std = run.std.map(Float.init)
        guard let interpolation = Interpolation(named: run.interpolation) else {
            throw TrainingError.invalidConfiguration(
                "the model's preprocessing asks for '\(run.interpolation)' resampling; Graft resamples with \(Interpolation.allCases.map(\.rawValue).joined(separator: " or "))")
        }
        return (try .trainTransform(inputSize: run.inputSize, resizeSize: run.resizeSize, mean: mean, std: std,
                                    augmentation: settings.augmentation, flip: settings.flip, interpolation: interpolation),
                try .evalTransform(inputSize: run.inputSize, resizeSize: run.resizeSize, mean: mean, std: std, interpolation: interpolation))
    }

    /// A model's pretrained configuration as a run uses it: scaled to `settings.imageSize` (the resize side in
    /// proportion) and with `settings.mean`/`std` when those override it.
    public static func preprocessing(config: PretrainedConfig, settings: FineTuneSettings) -> PretrainedConfig {
        var run = config
        run.inputSize = settings.imageSize ?? config.inputSize
        run.resizeSize = Int((Double(run.inputSize) * Double(config.resizeSize) / Double(config.inputSize)).rounded())
        run.mean = settings.mean ?? config.mean
        run.std = settings.std ?? config.std
        return run
    }

    func openDatasets(seed: UInt64) throws -> (AnyImageDataset, AnyImageDataset) {
        if source == "fashion-mnist" {
            func idx(_ part: String) throws -> IDXDataset {
                let dir = Self.fashionMNISTDirectory
                guard FileManager.default.fileExists(atPath: "\(dir)/\(part)-images-idx3-ubyte.gz") else {
                    throw TrainingError.invalidConfiguration("Fashion-MNIST is not installed at \(dir); run `make setup` (apt-get install dataset-fashion-mnist)")
                }
                return try IDXDataset(imagesPath: "\(dir)/\(part)-images-idx3-ubyte.gz", labelsPath: "\(dir)/\(part)-labels-idx1-ubyte.gz",
                                      classes: IDXDataset.fashionMNISTClasses)
            }
            return (AnyImageDataset(try idx("train")), AnyImageDataset(try idx("t10k")))
        }
        let train = try Self.open(source, images: images)
        if let validation {
            return (train, try Self.open(validation, images: images, classes: train.classes))
        }
        let parts = try train.split(validationFraction: validationSplit, seed: seed)
        guard !parts.validation.indices.isEmpty else {
            throw TrainingError.invalidSetting("validationSplit", "validationSplit \(validationSplit) leaves no validation images; raise it or give a separate validation set")
        }
        return (AnyImageDataset(parts.train), AnyImageDataset(parts.validation))
    }

    /// An ImageFolder directory or a labels file, by what is at `path`.
    static func open(_ path: String, images: String?, classes: [String]? = nil) throws -> AnyImageDataset {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw TrainingError.invalidConfiguration("\(path): no such file or directory")
        }
        if isDirectory.boolValue {
            let folder = try ImageFolder(root: path)
            if let classes, folder.classes != classes {
                throw TrainingError.invalidConfiguration("\(path): classes \(folder.classes) differ from the training classes \(classes)")
            }
            return AnyImageDataset(folder)
        }
        guard let images else {
            throw TrainingError.invalidSetting("images", "\(path) is a labels file; images (the directory holding its image files) is needed too")
        }
        return AnyImageDataset(try LabeledFiles(labelFile: path, imageDirectory: images, classes: classes))
    }

    /// A stratified seeded subset of about `n` samples (all of them when there are fewer).
    static func limit(_ dataset: AnyImageDataset, to n: Int, seed: UInt64) throws -> AnyImageDataset {
        guard n >= 1 else { throw TrainingError.invalidConfiguration("a sample limit must be at least 1 (got \(n))") }
        guard n < dataset.count else { return dataset }
        let kept = try dataset.split(validationFraction: Double(n) / Double(dataset.count), seed: seed).validation
        return AnyImageDataset(kept)
    }
}
