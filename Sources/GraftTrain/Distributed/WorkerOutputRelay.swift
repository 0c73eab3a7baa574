import Foundation

/// Reads one worker stream on its own thread and hands each whole line to a sink: a partial line waits for its end
/// (or for the stream to close), so a line is never split between two writes.
final class WorkerOutputRelay: @unchecked Sendable {
    // @unchecked: the reader thread owns the buffer; `done` orders its end before `finish` returns.
    /// A line longer than this is passed on in pieces of this size rather than held without bound.
    static let longestLine = 1 << 16
    private let done = DispatchSemaphore(value: 0)

    /// Starts relaying `handle` (a pipe's read end) of worker `rank` to `sink`.
    init(_ handle: FileHandle, rank: Int, stream: WorkerOutputLine.Stream, sink: @escaping @Sendable (WorkerOutputLine) -> Void) {
        Thread.detachNewThread { [done] in
            var pending: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 1 << 14)
            func emit(_ bytes: ArraySlice<UInt8>) {
                var line = bytes
                if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
                sink(WorkerOutputLine(rank: rank, stream: stream, text: String(decoding: line, as: UTF8.self)))
            }
            while true {
                let count = chunk.withUnsafeMutableBytes { read(handle.fileDescriptor, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { break }
                pending.append(contentsOf: chunk[0..<count])
                var start = 0
                while let newline = pending[start...].firstIndex(of: UInt8(ascii: "\n")) {
                    emit(pending[start..<newline])
                    start = newline + 1
                }
                while pending.count - start >= Self.longestLine {
                    emit(pending[start..<start + Self.longestLine])
                    start += Self.longestLine
                }
                pending.removeFirst(start)
            }
            if !pending.isEmpty { emit(pending[...]) }
            try? handle.close()
            done.signal()
        }
    }

    /// Waits until the stream has closed and its last line has been passed on, but no later than `deadline`; whether
    /// it has closed.
    func finish(before deadline: DispatchTime) -> Bool {
        guard done.wait(timeout: deadline) == .success else { return false }
        done.signal()
        return true
    }
}
