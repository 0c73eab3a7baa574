import GraftNN

/// Builds models by name, like `torchvision.models.get_model`.
public enum Models {
    /// The names `make` accepts.
    public static let names = [
        "resnet18", "resnet34", "resnet50", "mobilenet_v2", "mobilenet_v3_small", "mobilenet_v3_large", "efficientnet_lite0",
        "convnext_tiny", "convnext_small", "convnext_base", "convnext_large",
        "regnet_y_400mf", "regnet_y_800mf", "regnet_y_1_6gf", "regnet_y_3_2gf", "regnet_y_8gf", "regnet_y_16gf", "regnet_y_32gf",
        "regnet_x_400mf", "regnet_x_800mf", "regnet_x_1_6gf", "regnet_x_3_2gf", "regnet_x_8gf", "regnet_x_16gf", "regnet_x_32gf",
    ]

    /// A freshly initialised model (seeded by `Engine.manualSeed`) with `numClasses` outputs.
    public static func make(_ name: String, numClasses: Int = 1000) throws -> ImageClassifier {
        switch name.lowercased().replacingOccurrences(of: "-", with: "_") {
        case "resnet18": return try ResNet(name: "resnet18", kind: .basic, blocks: [2, 2, 2, 2], numClasses: numClasses)
        case "resnet34": return try ResNet(name: "resnet34", kind: .basic, blocks: [3, 4, 6, 3], numClasses: numClasses)
        case "resnet50": return try ResNet(name: "resnet50", kind: .bottleneck, blocks: [3, 4, 6, 3], numClasses: numClasses)
        case "mobilenet_v2", "mobilenetv2": return try MobileNetV2(numClasses: numClasses)
        case "mobilenet_v3_small", "mobilenetv3small": return try MobileNetV3(.small, numClasses: numClasses)
        case "mobilenet_v3_large", "mobilenetv3large": return try MobileNetV3(.large, numClasses: numClasses)
        case "efficientnet_lite0", "efficientnetlite0": return try EfficientNetLite(numClasses: numClasses)
        case "convnext_tiny": return try ConvNeXt(.tiny, numClasses: numClasses)
        case "convnext_small": return try ConvNeXt(.small, numClasses: numClasses)
        case "convnext_base": return try ConvNeXt(.base, numClasses: numClasses)
        case "convnext_large": return try ConvNeXt(.large, numClasses: numClasses)
        case "regnet_y_400mf": return try RegNet(.y400mf, numClasses: numClasses)
        case "regnet_y_800mf": return try RegNet(.y800mf, numClasses: numClasses)
        case "regnet_y_1_6gf": return try RegNet(.y1_6gf, numClasses: numClasses)
        case "regnet_y_3_2gf": return try RegNet(.y3_2gf, numClasses: numClasses)
        case "regnet_y_8gf": return try RegNet(.y8gf, numClasses: numClasses)
        case "regnet_y_16gf": return try RegNet(.y16gf, numClasses: numClasses)
        case "regnet_y_32gf": return try RegNet(.y32gf, numClasses: numClasses)
        case "regnet_x_400mf": return try RegNet(.x400mf, numClasses: numClasses)
        case "regnet_x_800mf": return try RegNet(.x800mf, numClasses: numClasses)
        case "regnet_x_1_6gf": return try RegNet(.x1_6gf, numClasses: numClasses)
        case "regnet_x_3_2gf": return try RegNet(.x3_2gf, numClasses: numClasses)
        case "regnet_x_8gf": return try RegNet(.x8gf, numClasses: numClasses)
        case "regnet_x_16gf": return try RegNet(.x16gf, numClasses: numClasses)
        case "regnet_x_32gf": return try RegNet(.x32gf, numClasses: numClasses)
        default:
            throw NNError.invalidConfiguration("unknown model '\(name)'; choose one of \(names.joined(separator: ", "))")
        }
    }
}
