import GraftNN
import GraftTensor
import GraftTrain
import XCTest

/// Optimizers keep working across `Module.to`: they hold the very tensors the module converts in place, create their
/// state on each parameter's device, move it with `to(_:)` and place loaded state where the parameters are.
final class OptimizerDeviceTests: XCTestCase {
    private func group(_ module: Module, learningRate: Double = 0.1) -> ParameterGroup {
        ParameterGroup(name: "all", parameters: module.parameters(), learningRate: learningRate)
    }

    /// Gradients of ones on every parameter, on its device.
    private func setUnitGradients(_ module: Module) throws {
        for p in module.parameters() { try p.setGrad(Tensor.ones(p.shape, dtype: p.dtype, device: p.device)) }
    }

    func testAnOptimizerBuiltBeforeAConversionUpdatesTheConvertedParameters() throws {
        Engine.manualSeed(4)
        let layer = try Linear(3, 2)
        let sgd = try SGD(groups: [group(layer)])
        let weight = try layer.weight.detached().to(.float64).scalars(as: Double.self)
        let bias = try XCTUnwrap(layer.bias).detached().to(.float64).scalars(as: Double.self)
        try layer.to(.float64)
        XCTAssertTrue(sgd.groups[0].parameters[0] === layer.weight)
        // d/dW sum(W·x + b) = x for every row, d/db = 1.
        let x: [Double] = [1, -2, 0.5]
        try layer(Tensor(x, shape: [1, 3])).sum().backward()
        try sgd.step()
        let expectedWeight = weight.enumerated().map { $0.element - 0.1 * x[$0.offset % 3] }
        XCTAssertEqual(layer.weight.dtype, .float64)
        for (actual, expected) in zip(try layer.weight.detached().scalars(as: Double.self), expectedWeight) {
            XCTAssertEqual(actual, expected, accuracy: 1e-12)
        }
        for (actual, expected) in zip(try XCTUnwrap(layer.bias).detached().scalars(as: Double.self), bias.map { $0 - 0.1 }) {
            XCTAssertEqual(actual, expected, accuracy: 1e-12)
        }
    }

    func testStateIsCreatedOnTheParameterDevice() throws {
        let layer = try Linear(4, 3)
        try layer.to(.meta)
        let optimizers: [Optimizer] = [try Adam(groups: [group(layer)]), try SGD(groups: [group(layer)], momentum: 0.9)]
        for optimizer in optimizers {
            try setUnitGradients(layer)
            try optimizer.step()
            let state = try optimizer.state()
            XCTAssertFalse(state.tensors.isEmpty)
            for (name, tensor) in state.tensors { XCTAssertEqual(tensor.device, .meta, "\(type(of: optimizer)) \(name)") }
        }
        XCTAssertEqual(layer.weight.device, .meta)
    }

    func testToMovesExistingState() throws {
        for makeOptimizer in [{ try Adam(groups: [$0]) as Optimizer }, { try SGD(groups: [$0], momentum: 0.9) }] {
            let layer = try Linear(4, 3)
            let optimizer = try makeOptimizer(group(layer))
            try setUnitGradients(layer)
            try optimizer.step()
            try layer.to(.meta)
            try setUnitGradients(layer)
            XCTAssertThrowsError(try optimizer.step(), "CPU state with meta parameters") { error in
                guard case .deviceMismatch = error as? TensorError else { return XCTFail("\(error)") }
            }
            try optimizer.to(.meta)
            try optimizer.step()
            for (name, tensor) in try optimizer.state().tensors { XCTAssertEqual(tensor.device, .meta, name) }
        }
    }

    func testLoadedStateIsPlacedOnTheParameterDeviceAndDtype() throws {
        let source = try Linear(4, 3)
        let saving = try Adam(groups: [group(source)])
        try setUnitGradients(source)
        try saving.step()
        let saved = try saving.state()

        let onMeta = try Linear(4, 3)
        try onMeta.to(.meta)
        let metaAdam = try Adam(groups: [group(onMeta)])
        try metaAdam.load(state: saved)
        for (name, tensor) in try metaAdam.state().tensors { XCTAssertEqual(tensor.device, .meta, name) }

        let inDouble = try Linear(4, 3)
        try inDouble.to(.float64)
        let doubleAdam = try Adam(groups: [group(inDouble)])
        try doubleAdam.load(state: saved)
        let (savedAverages, loaded) = (saved.tensors.map(\.1), try doubleAdam.state().tensors.map(\.1))
        for (original, converted) in zip(savedAverages, loaded) {
            XCTAssertEqual(converted.dtype, .float64)
            XCTAssertEqual(try converted.scalars(as: Double.self), try original.to(.float64).scalars(as: Double.self))
        }
    }
}
