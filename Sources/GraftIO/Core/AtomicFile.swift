import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Crash-safe file replacement: write a temporary file in the target's directory, fsync it, rename it over
/// the target and fsync the directory, so the target is always either the old or the complete new file.
public enum AtomicFile {
    /// Receives the new file's contents inside `AtomicFile.write(to:using:)`.
    public struct Sink {
        fileprivate let descriptor: Int32
        fileprivate let path: String

        /// Appends `bytes` to the temporary file.
        public func write(_ bytes: [UInt8]) throws {
            var written = 0
            while written < bytes.count {
                let result = bytes.withUnsafeBytes { buffer -> Int in
                    guard let base = buffer.baseAddress else { return 0 }
                    return systemWrite(descriptor, base + written, bytes.count - written)
                }
                if result < 0 {
                    if errno == EINTR { continue }
                    throw AtomicFile.systemError("write", path)
                }
                written += result
            }
        }
    }

    /// Replaces the file at `url` with `bytes`.
    public static func write(_ bytes: [UInt8], to url: URL) throws {
        try write(to: url) { try $0.write(bytes) }
    }

    /// Replaces the file at `url` with `data`.
    public static func write(_ data: Data, to url: URL) throws {
        try write([UInt8](data), to: url)
    }

    /// Replaces the file at `url` with what `produce` writes; if `produce` throws, the old file is untouched
    /// and the temporary file is removed.
    public static func write(to url: URL, using produce: (Sink) throws -> Void) throws {
        let target = url.standardizedFileURL
        let directory = target.deletingLastPathComponent().path
        let temporary = directory + "/." + target.lastPathComponent + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw systemError("create temporary file", temporary) }
        do {
            try produce(Sink(descriptor: descriptor, path: temporary))
            guard fsync(descriptor) == 0 else { throw systemError("fsync", temporary) }
            guard close(descriptor) == 0 else {
                unlink(temporary)
                throw systemError("close", temporary)
            }
        } catch {
            close(descriptor)
            unlink(temporary)
            throw error
        }
        guard rename(temporary, target.path) == 0 else {
            let failure = systemError("rename to \(target.path)", temporary)
            unlink(temporary)
            throw failure
        }
        try syncDirectory(directory)
    }

    /// Makes the rename durable by syncing the directory entry.
    private static func syncDirectory(_ path: String) throws {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw systemError("open directory", path) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw systemError("fsync directory", path) }
    }

    fileprivate static func systemError(_ operation: String, _ path: String) -> GraftIOError {
        .fileSystem(operation: operation, path: path, reason: String(cString: strerror(errno)))
    }
}

/// The POSIX `write(2)`, named apart from `Sink.write`.
private func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.write(descriptor, buffer, count)
    #else
    return Darwin.write(descriptor, buffer, count)
    #endif
}
