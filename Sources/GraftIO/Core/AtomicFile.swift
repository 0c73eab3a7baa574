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
            if let pause = pauseBeforeRename { usleep(pause) }
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

    /// Test hook: `GRAFT_TEST_WRITE_PAUSE_MS` holds every write between the complete temporary file and the rename,
    /// so kill tests can land in that window; unset (the normal case) it costs nothing.
    private static let pauseBeforeRename: useconds_t? = ProcessInfo.processInfo.environment["GRAFT_TEST_WRITE_PAUSE_MS"]
        .flatMap { UInt32($0) }.map { $0 * 1000 }

    /// Removes the temporary files that writes into `directory` left behind when their process was killed mid-write
    /// (files named like ours whose process no longer exists); returns their names.
    @discardableResult
    public static func removeStaleTemporaries(in directory: URL) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { name in
            guard name.hasPrefix("."), let marker = name.range(of: ".tmp-", options: .backwards),
                  let pid = Int32(name[marker.upperBound...].prefix { $0 != "-" }), pid > 0 else { return false }
            let alive = kill(pid, 0) == 0 || errno == EPERM
            return !alive && unlink(directory.appendingPathComponent(name).path) == 0
        }
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
