import GraftTensor
import XCTest
@testable import GraftData

/// `Batch.tensors(on:)` builds the images and labels on the requested device.
final class BatchTensorsTests: XCTestCase {
    private let batch = Batch(index: 0, images: (0..<24).map(Float.init), labels: [1, 0], sampleIndices: [4, 7],
                              height: 2, width: 2, skipped: [])

    func testOnTheCPUByDefaultWithTheValues() throws {
        let (images, labels) = try batch.tensors()
        XCTAssertEqual(images.device, .cpu)
        XCTAssertEqual(images.shape, [2, 3, 2, 2])
        XCTAssertEqual(try images.scalars(as: Float.self), batch.images)
        XCTAssertEqual(try labels.scalars(as: Int64.self), [1, 0])
    }

    func testOnAnotherDevice() throws {
        let (images, labels) = try batch.tensors(on: .meta)
        XCTAssertEqual(images.device, .meta)
        XCTAssertEqual(labels.device, .meta)
        XCTAssertEqual(images.shape, [2, 3, 2, 2])
        XCTAssertEqual(labels.dtype, .int64)
        XCTAssertThrowsError(try batch.tensors(on: .cuda(0))) { error in
            guard case .deviceUnavailable(.cuda(0), _) = error as? TensorError else { return XCTFail("\(error)") }
        }
    }
}
