import GraftNN
import GraftTensor
import XCTest

/// `Module.to` converts every parameter and buffer in place: the same `Tensor` objects afterwards hold the data on the
/// new device or in the new dtype, with `requiresGrad` and gradients carried along.
final class ModuleDeviceTests: XCTestCase {
    private func identities(_ module: Module) -> [ObjectIdentifier] { module.stateDict().map { ObjectIdentifier($0.1) } }

    private func values(_ module: Module) throws -> [[Double]] {
        try module.stateDict().map { try $0.1.detached().to(.float64).scalars(as: Double.self) }
    }

    func testToCPUKeepsEveryTensorObjectAndValue() throws {
        Engine.manualSeed(1)
        let net = try TinyNet(channels: 4)
        let (before, valuesBefore) = (identities(net), try values(net))
        try net.to(.cpu)
        XCTAssertEqual(identities(net), before)
        XCTAssertEqual(try values(net), valuesBefore)
        XCTAssertEqual(try net.device, .cpu)
    }

    func testToMetaMovesEveryParameterAndBufferInPlaceKeepingRequiresGrad() throws {
        let net = try TinyNet(channels: 4)
        try net.conv.freeze()
        let before = identities(net)
        let trainable = net.stateDict().map { $0.1.requiresGrad }
        XCTAssertEqual(trainable.filter { $0 }.count, 4, "bn and head parameters train, the frozen conv and buffers do not")
        try net.to(.meta)
        XCTAssertEqual(identities(net), before)
        for (name, tensor) in net.stateDict() { XCTAssertEqual(tensor.device, .meta, name) }
        XCTAssertEqual(net.stateDict().map { $0.1.requiresGrad }, trainable)
        XCTAssertEqual(net.bn.numBatchesTracked.dtype, .int64)
        XCTAssertEqual(try net.device, .meta)
        XCTAssertEqual(try net.head(Tensor.ones([5, 4], device: .meta)).shape, [5, 2])
        XCTAssertThrowsError(try net.head(Tensor.ones([5, 4]))) { error in
            XCTAssertEqual(error as? TensorError, .deviceMismatch(op: "linear", operands: [[5, 4], [2, 4], [2]],
                                                                  devices: [.cpu, .meta, .meta]))
        }
    }

    func testGradientsMoveWithTheirParameters() throws {
        let net = try TinyNet(channels: 4)
        try net(Tensor.randn([2, 3, 5, 5])).sum().backward()
        let gradient = try XCTUnwrap(net.head.weight.grad).clone()
        try net.to(.float64)
        let converted = try XCTUnwrap(net.head.weight.grad)
        XCTAssertEqual(converted.dtype, .float64)
        XCTAssertEqual(try converted.scalars(as: Double.self), try gradient.to(.float64).scalars(as: Double.self))
        try net.to(.meta)
        XCTAssertEqual(net.head.weight.grad?.device, .meta)
    }

    func testToDtypeConvertsFloatingTensorsInPlaceAndTheBatchNormFoldFollows() throws {
        Engine.manualSeed(2)
        let net = try TinyNet(channels: 4)
        let (before, valuesBefore) = (identities(net), try values(net))
        try net.to(.float64)
        XCTAssertEqual(identities(net), before)
        XCTAssertEqual(try values(net), valuesBefore, "float32 → float64 is exact")
        for (name, tensor) in net.stateDict() {
            XCTAssertEqual(tensor.dtype, name.hasSuffix("num_batches_tracked") ? .int64 : .float64, name)
        }
        net.eval()
        let input = try Tensor.randn([2, 3, 6, 6], dtype: .float64)
        let (folded, separate) = try withNoGrad { (try net.conv(input, normalizedBy: net.bn), try net.bn(net.conv(input))) }
        XCTAssertEqual(folded.dtype, .float64)
        XCTAssertTrue(try folded.allClose(separate, rtol: 1e-12, atol: 1e-12))
        XCTAssertThrowsError(try net.to(.int64))
    }

    func testAModuleSplitAcrossDevicesSaysWhere() throws {
        let net = try TinyNet(channels: 4)
        try net.head.to(.meta)
        XCTAssertThrowsError(try net.device) { error in
            XCTAssertEqual("\(error)", "the module's tensors are on several devices (conv.weight on cpu, head.weight on meta); "
                           + "put them on one with `to(_:)`")
        }
    }

    func testAnUnavailableDeviceLeavesTheModuleUntouched() throws {
        let net = try TinyNet(channels: 4)
        XCTAssertThrowsError(try net.to(.cuda(0))) { error in
            guard case .deviceUnavailable(.cuda(0), _) = error as? TensorError else { return XCTFail("\(error)") }
        }
        for (name, tensor) in net.stateDict() { XCTAssertEqual(tensor.device, .cpu, name) }
    }
}
