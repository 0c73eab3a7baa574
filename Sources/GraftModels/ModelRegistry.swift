import GraftNN

/// Builds models by name, like `torchvision.models.get_model`.
public enum Models {
    /// The names `make` accepts.
    public static let names = [
        "resnet18", "resnet34", "resnet50", "mobilenet_v2", "mobilenet_v3_small", "mobilenet_v3_large", "efficientnet_lite0",
        "vit_b_16", "vit_b_32", "vit_l_16", "vit_l_32",
        "swin_t", "swin_s", "swin_b",
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
        case "vit_b_16", "vitb16": return try VisionTransformer(.b16, numClasses: numClasses)
        case "vit_b_32", "vitb32": return try VisionTransformer(.b32, numClasses: numClasses)
        case "vit_l_16", "vitl16": return try VisionTransformer(.l16, numClasses: numClasses)
        case "vit_l_32", "vitl32": return try VisionTransformer(.l32, numClasses: numClasses)
        case "swin_t", "swint": return try SwinTransformer(.t, numClasses: numClasses)
        case "swin_s", "swins": return try SwinTransformer(.s, numClasses: numClasses)
        case "swin_b", "swinb": return try SwinTransformer(.b, numClasses: numClasses)
        default:
            throw NNError.invalidConfiguration("unknown model '\(name)'; choose one of \(names.joined(separator: ", "))")
        }
    }
}
