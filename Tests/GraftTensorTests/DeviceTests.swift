import XCTest
@testable import GraftTensor

/// Devices on Debian's CPU-only libtorch: CUDA requests fail with an actionable message, `meta` tensors carry shapes
/// without values, and an op whose operands are on different devices names the op, the shapes and the devices.
final class DeviceTests: XCTestCase {
    static let noCUDA = "cuda:0 was requested but this libtorch build has no CUDA support (torch.cuda.is_available() is false); "
        + "use .cpu or link a CUDA build of libtorch"

    func testThisBuildHasNoCUDA() {
        XCTAssertFalse(Device.isCUDAAvailable)
        XCTAssertFalse(Engine.isCUDABuilt)
        XCTAssertEqual(Engine.cudaDeviceCount, 0)
    }

    func testCUDARequestsThrowTheActionableError() throws {
        let requests: [(String, () throws -> Tensor)] = [
            ("zeros", { try Tensor.zeros([2], device: .cuda(0)) }),
            ("randn", { try Tensor.randn([2], device: .cuda(0)) }),
            ("arange", { try Tensor.arange(0, 4, device: .cuda(0)) }),
            ("to", { try Tensor.ones([2]).to(device: .cuda(0)) }),
        ]
        for (name, request) in requests {
            XCTAssertThrowsError(try request(), name) { error in
                XCTAssertEqual(error as? TensorError, .deviceUnavailable(.cuda(0), Self.noCUDA), name)
                XCTAssertEqual("\(error)", Self.noCUDA, name)
            }
        }
    }

    func testEveryReasonACUDADeviceCanBeMissing() {
        XCTAssertEqual(Device.cuda(0).unavailability(cudaBuilt: false, cudaDevices: 0), Self.noCUDA)
        XCTAssertEqual(Device.cuda(0).unavailability(cudaBuilt: true, cudaDevices: 0),
                       "cuda:0 was requested but libtorch sees no CUDA device (torch.cuda.device_count() is 0); "
                       + "check the NVIDIA driver and CUDA_VISIBLE_DEVICES, or use .cpu")
        XCTAssertEqual(Device.cuda(1).unavailability(cudaBuilt: true, cudaDevices: 1),
                       "cuda:1 was requested but libtorch sees only 1 CUDA device (cuda:0); use one of those or .cpu")
        XCTAssertEqual(Device.cuda(4).unavailability(cudaBuilt: true, cudaDevices: 2),
                       "cuda:4 was requested but libtorch sees only 2 CUDA devices (cuda:0 to cuda:1); use one of those or .cpu")
        XCTAssertEqual(Device.cuda(-1).unavailability(cudaBuilt: true, cudaDevices: 2),
                       "cuda:-1 is not a device: CUDA device indices start at 0")
        XCTAssertNil(Device.cuda(1).unavailability(cudaBuilt: true, cudaDevices: 2))
        XCTAssertNil(Device.cpu.unavailability(cudaBuilt: false, cudaDevices: 0))
        XCTAssertNil(Device.meta.unavailability(cudaBuilt: false, cudaDevices: 0))
    }

    func testParsingAndPrinting() {
        for text in ["cpu", "cuda:0", "cuda:3", "meta"] { XCTAssertEqual(Device(text)?.description, text) }
        XCTAssertEqual(Device("cuda"), .cuda(0))
        XCTAssertNil(Device("cuda:-1"))
        XCTAssertNil(Device("mps"))
    }

    func testMetaTensorsHaveShapesButNoValues() throws {
        let x = try Tensor.randn([4, 3], device: .meta)
        let w = try Tensor.ones([5, 3], device: .meta)
        let y = try (x.linear(weight: w) * 2.0).sigmoid()
        XCTAssertEqual(y.device, .meta)
        XCTAssertEqual(y.shape, [4, 5])
        XCTAssertEqual(try x.to(device: .meta).device, .meta)
        XCTAssertEqual(try Tensor.ones([2]).to(device: .meta).device, .meta)
        XCTAssertTrue(y.description.contains("meta"), y.description)
        let reads: [(String, () throws -> Void)] = [
            ("item", { _ = try y.sum().item() }), ("scalars", { _ = try y.floats() }), ("rawBytes", { _ = try y.rawBytes() }),
            ("isFinite", { _ = try y.isFinite() }), ("allClose", { _ = try y.allClose(y) }),
        ]
        for (name, read) in reads {
            XCTAssertThrowsError(try read(), name) { error in
                XCTAssertTrue("\(error)".contains("a meta tensor has a shape and dtype but no values"), "\(name): \(error)")
            }
        }
    }

    func testAMetaKernelMissingFromLibtorchIsNamedBriefly() throws {
        XCTAssertThrowsError(try Tensor.ones([2], device: .meta).relu()) { error in
            XCTAssertEqual("\(error)", "relu([2]): Could not run 'aten::relu' with arguments from the 'Meta' backend: "
                           + "this libtorch has no kernel for the op on that device")
        }
    }

    func testMixedDeviceOpsNameTheOpShapesAndDevices() throws {
        let cpu = try Tensor.ones([2, 3])
        let meta = try Tensor.ones([3], device: .meta)
        XCTAssertThrowsError(try cpu + meta) { error in
            XCTAssertEqual(error as? TensorError, .deviceMismatch(op: "add", operands: [[2, 3], [3]], devices: [.cpu, .meta]))
            XCTAssertEqual("\(error)", "add([2, 3] on cpu, [3] on meta): the operands are on different devices; move them to "
                           + "one first (Tensor.to(device:), Module.to(_:), Batch.tensors(on:))")
        }
        // libtorch itself lets these through, returning a meta result for CPU input.
        XCTAssertThrowsError(try cpu.linear(weight: Tensor.ones([4, 3], device: .meta))) { error in
            XCTAssertEqual(error as? TensorError, .deviceMismatch(op: "linear", operands: [[2, 3], [4, 3]], devices: [.cpu, .meta]))
        }
        XCTAssertThrowsError(try meta.add_(try Tensor.ones([3]))) { error in
            XCTAssertEqual(error as? TensorError, .deviceMismatch(op: "add_", operands: [[3], [3]], devices: [.meta, .cpu]))
        }
        XCTAssertThrowsError(try Tensor.cat([cpu, try Tensor.ones([1, 3], device: .meta)]))
    }

    func testZeroDimensionalCPUTensorsJoinAnyDeviceLikeNumbers() throws {
        let meta = try Tensor.ones([3], device: .meta)
        XCTAssertEqual(try (meta * Tensor(scalar: Float(2))).device, .meta)
        let target = try Tensor.zeros([3], device: .meta)
        XCTAssertNoThrow(try target.copy_(from: Tensor.ones([3])), "copies may cross devices")
    }

    func testSetDataSwapsInPlaceKeepingRequiresGrad() throws {
        let t = try Tensor([Float(1), 2, 3]).requiresGrad_()
        try t.setData(t.to(.float64))
        XCTAssertEqual(t.dtype, .float64)
        XCTAssertTrue(t.requiresGrad)
        XCTAssertEqual(try t.scalars(as: Double.self), [1, 2, 3])
        try t.setData(t.to(device: .meta))
        XCTAssertEqual(t.device, .meta)
        XCTAssertTrue(t.requiresGrad)
        XCTAssertEqual(t.shape, [3])
    }
}
