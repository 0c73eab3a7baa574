#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads whole files with POSIX calls so failures carry the system's reason.
public enum FileBytes {
    /// Returns the file's bytes, or throws `unreadableFile` / `emptyFile` naming the path.
    public static func read(_ path: String) throws -> [UInt8] {
        let descriptor = RawFileName.withCString(path) { open($0, O_RDONLY) }
        guard descriptor >= 0 else { throw DataError.unreadableFile(path: path, reason: systemError()) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw DataError.unreadableFile(path: path, reason: systemError()) }
        guard (status.st_mode & S_IFMT) == S_IFREG else { throw DataError.unreadableFile(path: path, reason: "not a regular file") }
        let size = Int(status.st_size)
        guard size > 0 else { throw DataError.emptyFile(path: path) }
        var failure: String?
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            var done = 0
            while done < size {
                let got = Glibc.read(descriptor, buffer.baseAddress! + done, size - done)
                if got < 0 && errno == EINTR { continue }
                if got <= 0 { failure = got < 0 ? systemError() : "file shrank while reading"; break }
                done += got
            }
            count = done
        }
        if let failure { throw DataError.unreadableFile(path: path, reason: failure) }
        return bytes
    }

    private static func systemError() -> String { String(cString: strerror(errno)) }
}
