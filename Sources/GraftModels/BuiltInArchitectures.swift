/// The image architectures Graft ships, registered with ``Models`` from the start, in torchvision's names.
enum BuiltInArchitectures {
    static let all: [Architecture] = resNets + denseNets + mobileNets + efficientNets + convNeXts + regNets + visionTransformers + swinTransformers

    /// ResNet, ResNeXt and Wide ResNet. Resize 232 from ResNet-50 up: torchvision's default weights for those are
    /// IMAGENET1K_V2 (IMAGENET1K_V1, resize 256, for ResNet-18/34).
    static let resNets: [Architecture] = [
        Architecture("resnet18") { try ResNet(name: "resnet18", kind: .basic, blocks: [2, 2, 2, 2], numClasses: $0) },
        Architecture("resnet34") { try ResNet(name: "resnet34", kind: .basic, blocks: [3, 4, 6, 3], numClasses: $0) },
        Architecture("resnet50") { try ResNet(name: "resnet50", kind: .bottleneck, blocks: [3, 4, 6, 3], resizeSize: 232, numClasses: $0) },
        Architecture("resnet101") { try ResNet(name: "resnet101", kind: .bottleneck, blocks: [3, 4, 23, 3], resizeSize: 232, numClasses: $0) },
        Architecture("resnet152") { try ResNet(name: "resnet152", kind: .bottleneck, blocks: [3, 8, 36, 3], resizeSize: 232, numClasses: $0) },
        Architecture("resnext50_32x4d") {
            try ResNet(name: "resnext50_32x4d", kind: .bottleneck, blocks: [3, 4, 6, 3], groups: 32, widthPerGroup: 4, resizeSize: 232, numClasses: $0)
        },
        Architecture("resnext101_32x8d") {
            try ResNet(name: "resnext101_32x8d", kind: .bottleneck, blocks: [3, 4, 23, 3], groups: 32, widthPerGroup: 8, resizeSize: 232, numClasses: $0)
        },
        Architecture("resnext101_64x4d") {
            try ResNet(name: "resnext101_64x4d", kind: .bottleneck, blocks: [3, 4, 23, 3], groups: 64, widthPerGroup: 4, resizeSize: 232, numClasses: $0)
        },
        Architecture("wide_resnet50_2") {
            try ResNet(name: "wide_resnet50_2", kind: .bottleneck, blocks: [3, 4, 6, 3], widthPerGroup: 128, resizeSize: 232, numClasses: $0)
        },
        Architecture("wide_resnet101_2") {
            try ResNet(name: "wide_resnet101_2", kind: .bottleneck, blocks: [3, 4, 23, 3], widthPerGroup: 128, resizeSize: 232, numClasses: $0)
        },
    ]

    static let denseNets: [Architecture] = [
        Architecture("densenet121") { try DenseNet(.layers121, numClasses: $0) },
        Architecture("densenet161") { try DenseNet(.layers161, numClasses: $0) },
        Architecture("densenet169") { try DenseNet(.layers169, numClasses: $0) },
        Architecture("densenet201") { try DenseNet(.layers201, numClasses: $0) },
    ]

    static let mobileNets: [Architecture] = [
        Architecture("mobilenet_v2") { try MobileNetV2(numClasses: $0) },
        Architecture("mobilenet_v3_small") { try MobileNetV3(.small, numClasses: $0) },
        Architecture("mobilenet_v3_large") { try MobileNetV3(.large, numClasses: $0) },
    ]

    /// EfficientNet-Lite0/1/2 (the reference package's names), then torchvision's B0–B7 and V2 S/M/L.
    static let efficientNets: [Architecture] = [
        Architecture("efficientnet_lite0") { try EfficientNetLite(.lite0, numClasses: $0) },
        Architecture("efficientnet_lite1") { try EfficientNetLite(.lite1, numClasses: $0) },
        Architecture("efficientnet_lite2") { try EfficientNetLite(.lite2, numClasses: $0) },
    ] + EfficientNet.Variant.allCases.map { variant in
        Architecture(variant.modelName) { try EfficientNet(variant, numClasses: $0) }
    }

    static let convNeXts: [Architecture] = [
        Architecture("convnext_tiny") { try ConvNeXt(.tiny, numClasses: $0) },
        Architecture("convnext_small") { try ConvNeXt(.small, numClasses: $0) },
        Architecture("convnext_base") { try ConvNeXt(.base, numClasses: $0) },
        Architecture("convnext_large") { try ConvNeXt(.large, numClasses: $0) },
    ]

    /// RegNet Y then X, 400MF to 32GF.
    static let regNets: [Architecture] = RegNet.Size.allCases.map { size in
        Architecture("regnet_\(size.rawValue)") { try RegNet(size, numClasses: $0) }
    }

    static let visionTransformers: [Architecture] = VisionTransformer.Size.allCases.map { size in
        Architecture("vit_\(size.rawValue)") { try VisionTransformer(size, numClasses: $0) }
    }

    static let swinTransformers: [Architecture] = SwinTransformer.Size.allCases.map { size in
        Architecture("swin_\(size.rawValue)") { try SwinTransformer(size, numClasses: $0) }
    }
}
