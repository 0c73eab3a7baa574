/// The image architectures Graft ships, registered with ``Models`` from the start.
enum BuiltInArchitectures {
    static let all: [Architecture] = [
        Architecture("resnet18") { try ResNet(name: "resnet18", kind: .basic, blocks: [2, 2, 2, 2], numClasses: $0) },
        Architecture("resnet34") { try ResNet(name: "resnet34", kind: .basic, blocks: [3, 4, 6, 3], numClasses: $0) },
        Architecture("resnet50") { try ResNet(name: "resnet50", kind: .bottleneck, blocks: [3, 4, 6, 3], numClasses: $0) },
        Architecture("mobilenet_v2") { try MobileNetV2(numClasses: $0) },
        Architecture("mobilenet_v3_small") { try MobileNetV3(.small, numClasses: $0) },
        Architecture("mobilenet_v3_large") { try MobileNetV3(.large, numClasses: $0) },
        Architecture("efficientnet_lite0") { try EfficientNetLite(numClasses: $0) },
    ]
}
