import Foundation
import GraftReport
import GraftTestSupport
import XCTest

/// TensorBoard event files: CRC-32C against RFC 3720's vectors, the hand-written protobuf byte for byte against
/// TensorBoard's generated protobuf classes, and whole files read back (and corruption caught) by TensorBoard's reader.
final class TensorBoardEventTests: XCTestCase {
    func testCRC32CMatchesRFC3720Vectors() {
        XCTAssertEqual(CRC32C.checksum(Array("123456789".utf8)), 0xE306_9283)
        XCTAssertEqual(CRC32C.checksum([UInt8](repeating: 0, count: 32)), 0x8A91_36AA)
        XCTAssertEqual(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)), 0x62A8_AB43)
        XCTAssertEqual(CRC32C.checksum((0..<32).map { UInt8($0) }), 0x46DD_794E)
        XCTAssertEqual(CRC32C.checksum((0..<32).reversed().map { UInt8($0) }), 0x113F_DB5C)
        XCTAssertEqual(CRC32C.checksum([]), 0)
    }

    /// The events of these tests, with the Python that builds the same messages through TensorBoard's `event_pb2`.
    static let events: [(event: TensorBoardEvent, python: String)] = [
        (TensorBoardEvent(wallTime: 1_700_000_000.25, step: 7, content: .fileVersion("brain.Event:2")),
         "Event(wall_time=1700000000.25, step=7, file_version='brain.Event:2')"),
        (TensorBoardEvent(wallTime: 1_700_000_001.5, step: 300, content: .summary([
            .scalar(tag: "train/loss", value: 0.693147), .scalar(tag: "lr/head", value: 1e-3), .scalar(tag: "val/loss", value: .nan)])),
         "Event(wall_time=1700000001.5, step=300, summary=Summary(value=[Summary.Value(tag='train/loss', simple_value=0.693147), "
            + "Summary.Value(tag='lr/head', simple_value=1e-3), Summary.Value(tag='val/loss', simple_value=float('nan'))]))"),
        (TensorBoardEvent(wallTime: 1_700_000_002, step: 1, content: .summary([.text(tag: "settings", markdown: "    {\"é\": 1}")])),
         "Event(wall_time=1700000002, step=1, summary=Summary(value=[Summary.Value(tag='settings', "
            + "metadata=SummaryMetadata(plugin_data=SummaryMetadata.PluginData(plugin_name='text')), "
            + "tensor=TensorProto(dtype=types_pb2.DT_STRING, string_val=['    {\"é\": 1}'.encode()]))]))"),
        (TensorBoardEvent(wallTime: 1_700_000_003, step: 12, content: .sessionStart),
         "Event(wall_time=1700000003, step=12, session_log=SessionLog(status=SessionLog.START))"),
    ]

    func testEventBytesEqualTensorBoardsProtobufEncoding() throws {
        try ReferencePython.require(modules: ["tensorboard.compat.proto.event_pb2"])
        let code = """
        import sys
        from tensorboard.compat.proto.event_pb2 import Event, SessionLog
        from tensorboard.compat.proto.summary_pb2 import Summary, SummaryMetadata
        from tensorboard.compat.proto.tensor_pb2 import TensorProto
        from tensorboard.compat.proto import types_pb2
        for event in [\(Self.events.map(\.python).joined(separator: ", "))]:
            print(event.SerializeToString().hex())
        """
        let result = try ReferencePython.run(code: code)
        XCTAssertEqual(result.status, 0, result.errors)
        let expected = result.output.split(separator: "\n").map(String.init)
        XCTAssertEqual(expected.count, Self.events.count)
        for (index, (event, _)) in Self.events.enumerated() where index < expected.count {
            XCTAssertEqual(event.protobuf.map { String(format: "%02x", $0) }.joined(), expected[index], "event \(index)")
        }
    }

    /// Reads every record of `file` with TensorBoard's record reader (which checks both CRCs of each record) and prints
    /// each event as JSON, or the reader's error.
    static let readerScript = """
        import json, sys
        from tensorboard.compat.tensorflow_stub import pywrap_tensorflow, errors
        from tensorboard.compat.proto.event_pb2 import Event
        reader = pywrap_tensorflow.PyRecordReader_New(sys.argv[1], 0, None, None)
        events = []
        try:
            while True:
                reader.GetNext()
                event = Event.FromString(reader.record())
                entry = {"step": event.step, "wall_time": event.wall_time, "what": event.WhichOneof("what")}
                if event.HasField("file_version"): entry["file_version"] = event.file_version
                if event.HasField("session_log"): entry["session_log"] = event.session_log.status
                for value in event.summary.value:
                    if value.HasField("simple_value"): entry.setdefault("scalars", {})[value.tag] = repr(value.simple_value)
                    else: entry.setdefault("texts", {})[value.tag] = [value.metadata.plugin_data.plugin_name, value.tensor.string_val[0].decode()]
                events.append(entry)
        except errors.OutOfRangeError:
            print(json.dumps(events))
        except errors.DataLossError as error:
            print("DataLossError: " + str(error))
        """

    func testTensorBoardsReaderReadsTheFileAndCatchesACorruptedByte() throws {
        try ReferencePython.require(modules: ["tensorboard"])
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("graft-tb-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let date = Date(timeIntervalSince1970: 1_700_000_000)
        let writer = try TensorBoardEventWriter(directory: directory, date: date, host: "test-host")
        XCTAssertTrue(writer.url.lastPathComponent.hasPrefix("events.out.tfevents.1700000000.test-host."), writer.url.path)
        try writer.writeScalars([("train/loss", 0.25), ("val/accuracy", 0.875)], step: 5, at: date)
        try writer.writeText("    settings", tag: "settings", step: 0, at: date)
        try writer.writeSessionStart(step: 6, at: date)
        let result = try ReferencePython.run(code: Self.readerScript, arguments: [writer.url.path])
        XCTAssertEqual(result.status, 0, result.errors)
        let events = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [[String: Any]], result.output)
        XCTAssertEqual(events.count, 4)
        guard events.count == 4 else { return }
        XCTAssertEqual(events[0]["file_version"] as? String, "brain.Event:2")
        XCTAssertEqual(events[1]["step"] as? Int, 5)
        XCTAssertEqual(events[1]["wall_time"] as? Double, 1_700_000_000)
        XCTAssertEqual(events[1]["scalars"] as? [String: String], ["train/loss": "0.25", "val/accuracy": "0.875"])
        XCTAssertEqual(events[2]["texts"] as? [String: [String]], ["settings": ["text", "    settings"]])
        XCTAssertEqual(events[3]["session_log"] as? Int, 1)
        XCTAssertEqual(events[3]["step"] as? Int, 6)

        // One flipped bit in the second record's data, then in its length: the reader refuses each.
        let original = try Data(contentsOf: writer.url)
        let firstRecord = 8 + 4 + Int(original[0]) + 4
        for (offset, check) in [(firstRecord + 12 + 3, "event crc32"), (firstRecord, "header crc32")] {
            var damaged = original
            damaged[offset] ^= 0x01
            try damaged.write(to: writer.url)
            let read = try ReferencePython.run(code: Self.readerScript, arguments: [writer.url.path])
            XCTAssertEqual(read.status, 0, read.errors)
            XCTAssertTrue(read.output.hasPrefix("DataLossError") && read.output.contains(check), read.output)
        }
    }

    /// A resumed run's session start makes TensorBoard drop what an earlier file logged at or past its step.
    func testASessionStartDropsTheEarlierFilesLaterSteps() throws {
        try ReferencePython.require(modules: ["tensorboard.backend.event_processing.event_accumulator"])
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("graft-tb-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = try TensorBoardEventWriter(directory: directory, date: Date(timeIntervalSince1970: 1_700_000_000))
        for step in 1...8 { try first.writeScalars([("train/loss_step", Double(step))], step: step) }
        let second = try TensorBoardEventWriter(directory: directory, date: Date(timeIntervalSince1970: 1_700_000_100))
        try second.writeSessionStart(step: 5)
        for step in 5...6 { try second.writeScalars([("train/loss_step", Double(step) + 0.5)], step: step) }
        let code = """
        import sys
        from tensorboard.backend.event_processing import event_accumulator
        accumulator = event_accumulator.EventAccumulator(sys.argv[1])
        accumulator.Reload()
        print(" ".join(f"{e.step}:{e.value}" for e in accumulator.Scalars("train/loss_step")))
        """
        let result = try ReferencePython.run(code: code, arguments: [directory.path])
        XCTAssertEqual(result.status, 0, result.errors)
        XCTAssertEqual(result.output.trimmingCharacters(in: .whitespacesAndNewlines), "1:1.0 2:2.0 3:3.0 4:4.0 5:5.5 6:6.5")
    }

    func testMetricsCSVFollowsLightningsLayout() {
        var history = RunHistory(model: "m", data: "d", groupNames: ["head", "layer4"])
        history.record(EpochRecord(epoch: 1, phase: "head", trainLoss: 0.5, trainAccuracy: 0.75, validationLoss: 0.625,
                                   validationAccuracy: 0.5, learningRates: [0.01], seconds: 2))
        history.record(EpochRecord(epoch: 2, phase: "head + layer4", trainLoss: .nan, learningRates: [0.005, 1e-4], seconds: 3.5))
        XCTAssertEqual(history.metricsCSV(batchesPerEpoch: 4), """
            epoch,epoch_seconds,lr-head,lr-layer4,step,train_acc,train_loss,val_acc,val_loss
            0,2.0,0.01,,4,0.75,0.5,0.5,0.625
            1,3.5,0.005,0.0001,8,,nan,,

            """)
    }
}
