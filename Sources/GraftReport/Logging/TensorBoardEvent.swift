import Foundation

/// One record of a TensorBoard event file: TensorFlow's `Event` message (tensorflow/core/util/event.proto) with the
/// fields Graft writes — the file version, scalar and text summaries, and a session start.
///
/// The protobuf bytes are written by hand (`ProtobufFields`) rather than through swift-protobuf: the `Event` schema
/// sits in TensorFlow's proto tree (event → summary → tensor → tensor_shape → types → resource_handle …), so
/// generated Swift would commit thousands of lines to use fifteen fields of seven messages, while the wire format of
/// those fields is short and exact. The tests read every kind back with TensorBoard's own protobuf decoder.
public struct TensorBoardEvent: Sendable, Equatable {
    /// One value of a summary.
    public enum Value: Sendable, Equatable {
        /// A point of the scalar chart `tag`.
        case scalar(tag: String, value: Double)
        /// A Markdown text shown by TensorBoard's text dashboard under `tag`.
        case text(tag: String, markdown: String)
    }

    /// What the event carries.
    public enum Content: Sendable, Equatable {
        /// The first event of every file: the format version ("brain.Event:2").
        case fileVersion(String)
        /// Summary values.
        case summary([Value])
        /// A (re)start of the run at this event's step: TensorBoard drops the events of earlier files whose step is at
        /// or past it, which a process killed after its last checkpoint left behind.
        case sessionStart
    }

    /// Seconds since 1970 when the event happened.
    public var wallTime: Double
    /// The step the event belongs to (the x axis of TensorBoard's charts).
    public var step: Int
    /// What it carries.
    public var content: Content

    /// Creates an event.
    public init(wallTime: Double, step: Int, content: Content) {
        self.wallTime = wallTime
        self.step = step
        self.content = content
    }

    /// The `Event` message's protobuf encoding.
    public var protobuf: [UInt8] {
        var event = ProtobufFields()
        event.double(1, wallTime)
        event.int64(2, Int64(step))
        switch content {
        case .fileVersion(let version):
            event.string(3, version)
        case .summary(let values):
            var summary = ProtobufFields()
            for value in values { summary.message(1, Self.summaryValue(value)) }
            event.message(5, summary)
        case .sessionStart:
            var sessionLog = ProtobufFields()
            sessionLog.int64(1, 1)  // SessionLog.START
            event.message(7, sessionLog)
        }
        return event.bytes
    }

    /// A `Summary.Value`: a scalar as `simple_value` (a float, as TensorBoard stores it), a text as a string tensor
    /// tagged for the text plugin.
    private static func summaryValue(_ value: Value) -> ProtobufFields {
        var fields = ProtobufFields()
        switch value {
        case .scalar(let tag, let number):
            fields.string(1, tag)
            fields.float(2, Float(number))
        case .text(let tag, let markdown):
            fields.string(1, tag)
            var tensor = ProtobufFields()
            tensor.int64(1, 7)  // DataType.DT_STRING; no tensor_shape: a scalar
            tensor.string(8, markdown)
            fields.message(8, tensor)
            var pluginData = ProtobufFields()
            pluginData.string(1, "text")
            var metadata = ProtobufFields()
            metadata.message(1, pluginData)
            fields.message(9, metadata)
        }
        return fields
    }
}
