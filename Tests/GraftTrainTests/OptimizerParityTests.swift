import Foundation
import GraftTensor
import GraftTestSupport
import GraftTrain
import XCTest

/// SGD, Adam and AdamW replay torch.optim's trajectories (Fixtures/optimizers.json) within 1e-6, including a
/// parameter group added mid-way with its own learning rate, and state that survives a save/restore.
final class OptimizerParityTests: XCTestCase {
    struct Flat: Decodable {
        let shape: [Int]
        let data: [Float]
        func tensor() throws -> Tensor { try Tensor(data, shape: shape) }
    }
    struct Group: Decodable {
        let lr: Double
        let weight_decay: Double?
    }
    struct Step: Decodable {
        let grads: [Flat]
        let params: [Flat]
    }
    struct Case: Decodable {
        let name: String
        let group0: Group, group1: Group
        let add_at: Int
        let initial: [Flat]
        let steps: [Step]
    }
    struct File: Decodable { let cases: [Case] }

    static func fixture() throws -> [Case] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/optimizers.json")
        return try JSONDecoder().decode(File.self, from: Data(contentsOf: url)).cases
    }

    func makeOptimizer(_ name: String, _ group: ParameterGroup) throws -> Optimizer {
        switch name {
        case "sgd": return try SGD(groups: [group])
        case "sgd_momentum_wd": return try SGD(groups: [group], momentum: 0.9)
        case "sgd_nesterov": return try SGD(groups: [group], momentum: 0.8, nesterov: true)
        case "adam_wd": return try Adam(groups: [group])
        case "adamw": return try Adam(groups: [group], beta1: 0.8, beta2: 0.99, decoupledWeightDecay: true)
        default: throw TrainingError.invalidConfiguration("no optimizer for case \(name)")
        }
    }

    /// Replays `c` (restoring the optimizer from its saved state before step `restartAt`); the first parameter that
    /// leaves torch.optim's trajectory by more than 1e-6 or is not finite, or nil.
    func replay(_ c: Case, restartAt: Int? = nil) throws -> String? {
        let params = try c.initial.map { try $0.tensor().requiresGrad_() }
        var optimizer = try makeOptimizer(c.name, ParameterGroup(
            name: "g0", parameters: Array(params[0..<2]), learningRate: c.group0.lr, weightDecay: c.group0.weight_decay ?? 0))
        for (index, step) in c.steps.enumerated() {
            if index == c.add_at {
                optimizer.addGroup(ParameterGroup(
                    name: "g1", parameters: [params[2]], learningRate: c.group1.lr, weightDecay: c.group1.weight_decay ?? 0))
            }
            if index == restartAt {
                let saved = try optimizer.state()
                let groups = optimizer.groups
                optimizer = try makeOptimizer(c.name, groups[0])
                for group in groups.dropFirst() { optimizer.addGroup(group) }
                try optimizer.load(state: saved)
            }
            for (p, g) in zip(params, step.grads) { try p.setGrad(g.tensor()) }
            try optimizer.step()
            try optimizer.zeroGrad()
            for (number, (p, expected)) in zip(params, step.params).enumerated() {
                if let mismatch = Closeness(atol: 1e-6).mismatch(try p.detached().floats(), expected.data) {
                    return "step \(index) parameter \(number): \(mismatch)"
                }
            }
        }
        return nil
    }

    func testTrajectoriesMatchTorchOptim() throws {
        for c in try Self.fixture() {
            XCTAssertNil(try replay(c), c.name)
        }
    }

    func testStateRestoredMidwayContinuesIdentically() throws {
        for c in try Self.fixture() {
            XCTAssertNil(try replay(c, restartAt: 4), "\(c.name) after restore")
        }
    }

    func testParametersWithoutGradientsGetNoStateAndDoNotMove() throws {
        let frozen = try Tensor([1, 2] as [Float])
        let trained = try Tensor([1, 2] as [Float]).requiresGrad_()
        let optimizer = try Adam(groups: [ParameterGroup(name: "all", parameters: [frozen, trained], learningRate: 0.1)])
        try trained.setGrad(Tensor([1, 1] as [Float]))
        try optimizer.step()
        XCTAssertEqual(try frozen.scalars(as: Float.self), [1, 2])
        XCTAssertNotEqual(try trained.detached().scalars(as: Float.self), [1, 2])
        XCTAssertEqual(try optimizer.state().tensors.map(\.0), ["0.1.exp_avg", "0.1.exp_avg_sq"])
    }
}
