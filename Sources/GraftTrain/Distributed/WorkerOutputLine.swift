import Foundation

/// One whole line a worker printed.
public struct WorkerOutputLine: Equatable, Sendable {
    /// Which of the worker's streams the line came from.
    public enum Stream: Equatable, Sendable {
        /// Standard output.
        case output
        /// Standard error.
        case error
    }

    /// The worker's global rank.
    public let rank: Int
    /// The stream it came from.
    public let stream: Stream
    /// The line, without its newline.
    public let text: String

    /// A line from worker `rank`.
    public init(rank: Int, stream: Stream, text: String) {
        self.rank = rank
        self.stream = stream
        self.text = text
    }

    /// The line as the launcher shows it: "[rank K] text".
    public var prefixed: String { "[rank \(rank)] \(text)" }

    /// Writes `line.prefixed` and a newline to the launcher's own standard output or error (matching the worker's
    /// stream) in one write, so lines of different workers never interleave.
    @Sendable public static func writeToStandardStreams(_ line: WorkerOutputLine) {
        let descriptor = line.stream == .output ? STDOUT_FILENO : STDERR_FILENO
        let bytes = Array((line.prefixed + "\n").utf8)
        writeLock.lock()
        defer { writeLock.unlock() }
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return }  // the reader went away (EPIPE): nothing more can be shown
            written += count
        }
    }

    private static let writeLock = NSLock()
}
