import Foundation
import XCTest
@testable import GraftTensor

/// The engine facts `graft doctor` prints: the libtorch version the shim was built against and the one running, the
/// CUDA versions (none without CUDA) and the NVIDIA driver's GPUs (an error naming the missing driver without one).
final class EngineVersionTests: XCTestCase {
    func testTheShimRunsOnTheLibtorchItWasBuiltAgainst() throws {
        XCTAssertNotNil(Engine.version.range(of: #"^\d+\.\d+\.\d+"#, options: .regularExpression), Engine.version)
        XCTAssertEqual(Engine.runtimeVersion, Engine.version)
    }

    func testCUDAVersionsOnlyWithCUDA() {
        if Engine.isCUDABuilt {
            XCTAssertNotNil(Engine.cudaRuntimeVersion)
        } else {
            XCTAssertNil(Engine.cudaRuntimeVersion)
            XCTAssertNil(Engine.cuDNNVersion)
        }
    }

    func testGPUsComeFromTheDriverOrNameItsAbsence() throws {
        do {
            let driver = try Engine.nvidiaGPUs()
            XCTAssertNotNil(driver.version.range(of: #"^\d+\.\d+$"#, options: .regularExpression), driver.version)
            XCTAssertTrue(driver.gpus.allSatisfy { !$0.name.isEmpty && $0.totalMemoryBytes > 0 }, "\(driver.gpus)")
        } catch TensorError.engine(let op, _, let message) {
            XCTAssertEqual(op, "gpus")
            XCTAssertFalse(FileManager.default.fileExists(atPath: "/dev/nvidiactl"), message)
            XCTAssertEqual(message, "no NVIDIA driver (libcuda.so.1 not found)")
        }
    }
}
