import Foundation

/// Writes a TensorBoard event file, `events.out.tfevents.<seconds>.<host>.<pid>.<n>` in a directory, as TensorFlow's
/// and PyTorch's `SummaryWriter` do: the file-version event first, then one TFRecord per event, each handed to the
/// operating system at once, so a killed process loses nothing it logged. TensorBoard reads every such file in the
/// directory in name order, so a resumed run adds a file of its own beside the earlier ones.
public final class TensorBoardEventWriter {
    /// The event file being written.
    public let url: URL
    private let handle: FileHandle

    /// Creates a new event file in `directory` (made when missing) named after `date` and `host`.
    public init(directory: URL, date: Date = Date(), host: String = ProcessInfo.processInfo.hostName) throws {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw GraftReportError.cannotWriteLog(path: directory.path, reason: error.localizedDescription)
        }
        let prefix = "events.out.tfevents.\(Int(date.timeIntervalSince1970)).\(host).\(ProcessInfo.processInfo.processIdentifier)"
        var counter = 0
        while FileManager.default.fileExists(atPath: directory.appendingPathComponent("\(prefix).\(counter)").path) { counter += 1 }
        url = directory.appendingPathComponent("\(prefix).\(counter)")
        guard FileManager.default.createFile(atPath: url.path, contents: nil),
              let handle = try? FileHandle(forWritingTo: url) else {
            throw GraftReportError.cannotWriteLog(path: url.path, reason: "cannot create the file")
        }
        self.handle = handle
        try write(TensorBoardEvent(wallTime: date.timeIntervalSince1970, step: 0, content: .fileVersion("brain.Event:2")))
    }

    deinit { try? handle.close() }

    /// Appends `event` as one record.
    public func write(_ event: TensorBoardEvent) throws {
        do {
            try handle.write(contentsOf: TFRecord.frame(event.protobuf))
        } catch {
            throw GraftReportError.cannotWriteLog(path: url.path, reason: error.localizedDescription)
        }
    }

    /// Appends one event holding the scalars `values` (tag, value) at `step`.
    public func writeScalars(_ values: [(tag: String, value: Double)], step: Int, at date: Date = Date()) throws {
        try write(TensorBoardEvent(wallTime: date.timeIntervalSince1970, step: step,
                                   content: .summary(values.map { TensorBoardEvent.Value.scalar(tag: $0.tag, value: $0.value) })))
    }

    /// Appends a Markdown text under `tag` at `step`.
    public func writeText(_ markdown: String, tag: String, step: Int, at date: Date = Date()) throws {
        try write(TensorBoardEvent(wallTime: date.timeIntervalSince1970, step: step, content: .summary([.text(tag: tag, markdown: markdown)])))
    }

    /// Marks a (re)start of the run at `step` (see `TensorBoardEvent.Content.sessionStart`).
    public func writeSessionStart(step: Int, at date: Date = Date()) throws {
        try write(TensorBoardEvent(wallTime: date.timeIntervalSince1970, step: step, content: .sessionStart))
    }
}
