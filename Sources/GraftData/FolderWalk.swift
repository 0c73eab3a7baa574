#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Lists a `root/<class name>/**/<file>` dataset folder the way torchvision's `ImageFolder` does, for images and
/// text files alike: names by their exact bytes (see `RawFileName`), everything in byte order.
public enum FolderWalk {
    /// The class folder names under `root`, sorted like `sorted(os.scandir(root))`.
    public static func classFolders(_ root: String) throws -> [String] {
        try list(root).filter { RawFileName.isDirectory(root + "/" + $0) }.sorted(by: utf8Less)
    }

    /// The files below `directory` whose names satisfy `include`, ordered like `sorted(os.walk(directory,
    /// followlinks=True))` then `sorted(files)`.
    public static func files(under directory: String, where include: (String) -> Bool) throws -> [String] {
        var walk: [(directory: String, files: [String])] = []
        var pending = [directory]
        var visited = Set<String>()
        while let current = pending.popLast() {
            // Symlinked directories are followed like torchvision, but each real directory only once.
            guard visited.insert(realPath(current)).inserted else { continue }
            var files: [String] = []
            for entry in try list(current) {
                let path = current + "/" + entry
                if RawFileName.isDirectory(path) { pending.append(path) } else { files.append(entry) }
            }
            walk.append((current, files.filter(include).sorted(by: utf8Less)))
        }
        return walk.sorted { utf8Less($0.directory, $1.directory) }.flatMap { step in step.files.map { step.directory + "/" + $0 } }
    }

    /// Entries by their exact bytes, so names that are not UTF-8 can be opened.
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
}
