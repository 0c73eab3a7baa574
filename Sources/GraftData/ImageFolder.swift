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
        let entries = try Self.list(root)
        let classNames = entries.filter { Self.isDirectory(root + "/" + $0) }.sorted(by: utf8Less)
        guard !classNames.isEmpty else {
            throw DataError.invalidDataset(path: root, reason: "no class folders found (expected root/<class name>/<image files>)")
        }
        var samples: [LabeledFile] = []
        for (label, name) in classNames.enumerated() {
            let files = try Self.imageFiles(under: root + "/" + name)
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

    /// Image files below `directory`, ordered like `sorted(os.walk(directory, followlinks=True))` then `sorted(files)`.
    private static func imageFiles(under directory: String) throws -> [String] {
        var walk: [(directory: String, files: [String])] = []
        var pending = [directory]
        var visited = Set<String>()
        while let current = pending.popLast() {
            // Symlinked directories are followed like torchvision, but each real directory only once.
            guard visited.insert(realPath(current)).inserted else { continue }
            var files: [String] = []
            for entry in try list(current) {
                let path = current + "/" + entry
                if isDirectory(path) { pending.append(path) } else { files.append(entry) }
            }
            walk.append((current, files.filter(hasImageExtension).sorted(by: utf8Less)))
        }
        return walk.sorted { utf8Less($0.directory, $1.directory) }.flatMap { step in step.files.map { step.directory + "/" + $0 } }
    }

    /// Entries by their exact bytes, so names that are not UTF-8 can be opened (see `RawFileName`).
    private static func list(_ directory: String) throws -> [String] {
        switch RawFileName.list(directory) {
        case .success(let names): return names
        case .failure(let failure): throw DataError.unreadableDirectory(path: directory, reason: failure.reason)
        }
    }

    private static func realPath(_ path: String) -> String {
        guard let resolved = RawFileName.withCString(path, { realpath($0, nil) }) else { return path }
        defer { free(resolved) }
        return RawFileName.string(fromBytes: Array(UnsafeBufferPointer(start: resolved, count: strlen(resolved)).map { UInt8(bitPattern: $0) }))
    }

    private static func isDirectory(_ path: String) -> Bool { RawFileName.isDirectory(path) }
}
