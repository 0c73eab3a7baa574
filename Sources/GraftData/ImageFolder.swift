import Foundation

/// torchvision's `ImageFolder` layout: `root/<class name>/**/<image>`, classes and files in byte order.
public struct ImageFolder: FileImageDataset {
    /// File extensions torchvision accepts (compared case-insensitively); others are ignored.
    public static let imageExtensions = [".jpg", ".jpeg", ".png", ".ppm", ".bmp", ".pgm", ".tif", ".tiff", ".webp"]

    /// The dataset root.
    public let root: String
    /// Class folder names, sorted like torchvision (`sorted(os.scandir(root))`).
    public let classes: [String]
    /// Every image, class by class, in `sorted(os.walk(...))` order.
    public let samples: [LabeledFile]

    /// Lists `root`; throws when it cannot be read, has no class folder, or a class folder holds no image.
    public init(root: String) throws {
        self.root = root
        let classNames = try FolderWalk.classFolders(root)
        guard !classNames.isEmpty else {
            throw DataError.invalidDataset(path: root, reason: "no class folders found (expected root/<class name>/<image files>)")
        }
        var samples: [LabeledFile] = []
        for (label, name) in classNames.enumerated() {
            let files = try FolderWalk.files(under: root + "/" + name, where: Self.hasImageExtension)
            guard !files.isEmpty else {
                throw DataError.invalidDataset(path: root + "/" + name,
                                               reason: "class folder contains no image files (\(Self.imageExtensions.joined(separator: " ")))")
            }
            samples += files.map { LabeledFile(path: $0, label: label) }
        }
        self.classes = classNames
        self.samples = samples
    }

    /// Whether torchvision would load a file of this name.
    public static func hasImageExtension(_ name: String) -> Bool {
        let lowered = name.lowercased()
        return imageExtensions.contains { lowered.hasSuffix($0) }
    }
}
