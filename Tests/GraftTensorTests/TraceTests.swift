import Foundation
import GraftTensor
import XCTest

/// `Trace.record` sees every tensor operation of its body, in order, with operands, arguments and results, and nothing
/// outside it.
final class TraceTests: XCTestCase {
    func testRecordsOperationsWithTheirArgumentsInOrder() throws {
        let x = try Tensor([1, 2, 3, 4, 5, 6] as [Float], shape: [1, 6])
        let weight = try Tensor([Float](repeating: 0.5, count: 12), shape: [2, 6])
        let (result, trace) = try Trace.record { () throws -> Tensor in
            XCTAssertTrue(Trace.isRecording)
            let y = try x.linear(weight: weight).reshape([2, 1])
            try y.mul_(3)
            return try y + 1
        }
        XCTAssertFalse(Trace.isRecording)
        XCTAssertEqual(trace.records.map(\.op), ["linear", "reshape", "mul_", "add"])
        let (linear, reshape, scale, add) = (trace.records[0], trace.records[1], trace.records[2], trace.records[3])
        XCTAssertTrue(linear.inputs[0] === x && linear.inputs[1] === weight)
        XCTAssertTrue(reshape.inputs[0] === linear.outputs[0])
        XCTAssertEqual(reshape.ints("shape"), [2, 1])
        XCTAssertTrue(scale.inPlace && scale.outputs[0] === reshape.outputs[0])
        XCTAssertEqual(scale.double("scalar"), 3)
        XCTAssertFalse(add.inPlace)
        XCTAssertTrue(add.outputs[0] === result)
        XCTAssertEqual(try result.floats(), [32.5, 32.5])  // (0.5 · 21) · 3 + 1
    }

    func testNothingIsRecordedOutsideOrOnOtherThreads() throws {
        let x = try Tensor([1, 2] as [Float])
        _ = try x * 2
        let (_, trace) = try Trace.record { () throws -> Void in
            let other = Thread { _ = try? x.exp() }
            other.start()
            while !other.isFinished { usleep(1000) }
            _ = try x.relu()
        }
        XCTAssertEqual(trace.records.map(\.op), ["relu"])
    }
}
