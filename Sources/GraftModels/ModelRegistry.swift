import GraftNN

/// Builds models by name, like `torchvision.models.get_model`.
public enum Models {
    /// The names `make` accepts.
    public static let names = [
        "resnet18", "resnet34", "resnet50", "resnet101", "resnet152", "resnext50_32x4d", "resnext101_32x8d", "resnext101_64x4d",
        "wide_resnet50_2", "wide_resnet101_2", "densenet121", "densenet161", "densenet169", "densenet201", "mobilenet_v2", "mobilenet_v3_small", "mobilenet_v3_large", "efficientnet_lite0",
    ]

    /// A freshly initialised model (seeded by `Engine.manualSeed`) with `numClasses` outputs.
    public static func make(_ name: String, numClasses: Int = 1000) throws -> ImageClassifier {
        switch name.lowercased().replacingOccurrences(of: "-", with: "_") {
        case "resnet18": return try ResNet(name: "resnet18", kind: .basic, blocks: [2, 2, 2, 2], numClasses: numClasses)
        case "resnet34": return try ResNet(name: "resnet34", kind: .basic, blocks: [3, 4, 6, 3], numClasses: numClasses)
        // resize 232: torchvision's default weights are IMAGENET1K_V2 for these (IMAGENET1K_V1 for resnet18/34).
        case "resnet50": return try ResNet(name: "resnet50", kind: .bottleneck, blocks: [3, 4, 6, 3], resizeSize: 232, numClasses: numClasses)
        case "resnet101": return try ResNet(name: "resnet101", kind: .bottleneck, blocks: [3, 4, 23, 3], resizeSize: 232, numClasses: numClasses)
        case "resnet152": return try ResNet(name: "resnet152", kind: .bottleneck, blocks: [3, 8, 36, 3], resizeSize: 232, numClasses: numClasses)
        case "resnext50_32x4d":
            return try ResNet(name: "resnext50_32x4d", kind: .bottleneck, blocks: [3, 4, 6, 3], groups: 32, widthPerGroup: 4, resizeSize: 232, numClasses: numClasses)
        case "resnext101_32x8d":
            return try ResNet(name: "resnext101_32x8d", kind: .bottleneck, blocks: [3, 4, 23, 3], groups: 32, widthPerGroup: 8, resizeSize: 232, numClasses: numClasses)
        case "resnext101_64x4d":
            return try ResNet(name: "resnext101_64x4d", kind: .bottleneck, blocks: [3, 4, 23, 3], groups: 64, widthPerGroup: 4, resizeSize: 232, numClasses: numClasses)
        case "wide_resnet50_2":
            return try ResNet(name: "wide_resnet50_2", kind: .bottleneck, blocks: [3, 4, 6, 3], widthPerGroup: 128, resizeSize: 232, numClasses: numClasses)
        case "wide_resnet101_2":
            return try ResNet(name: "wide_resnet101_2", kind: .bottleneck, blocks: [3, 4, 23, 3], widthPerGroup: 128, resizeSize: 232, numClasses: numClasses)
        case "densenet121": return try DenseNet(.layers121, numClasses: numClasses)
        case "densenet161": return try DenseNet(.layers161, numClasses: numClasses)
        case "densenet169": return try DenseNet(.layers169, numClasses: numClasses)
        case "densenet201": return try DenseNet(.layers201, numClasses: numClasses)
        case "mobilenet_v2", "mobilenetv2": return try MobileNetV2(numClasses: numClasses)
        case "mobilenet_v3_small", "mobilenetv3small": return try MobileNetV3(.small, numClasses: numClasses)
        case "mobilenet_v3_large", "mobilenetv3large": return try MobileNetV3(.large, numClasses: numClasses)
        case "efficientnet_lite0", "efficientnetlite0": return try EfficientNetLite(numClasses: numClasses)
        default:
            throw NNError.invalidConfiguration("unknown model '\(name)'; choose one of \(names.joined(separator: ", "))")
        }
    }
}
