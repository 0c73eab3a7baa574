import Foundation
import GraftTensor
import GraftTrain
import XCTest

/// One-cycle cycles SGD's momentum and Adam's beta1 exactly as torch's `OneCycleLR(cycle_momentum=True)` (1.13):
/// at construction and after every `step(updating:)`, with the parameter trajectories that follow
/// (Fixtures/one_cycle_momentum.json, written by scripts/fixtures/make_one_cycle_momentum_fixtures.py).
final class OneCycleMomentumParityTests: XCTestCase {
    struct Flat: Decodable {
        let shape: [Int]
        let data: [Float]
        func tensor() throws -> Tensor { try Tensor(data, shape: shape) }
    }
    struct Step: Decodable {
        let grads: [Flat]
        let params: [Flat]
        let lr: [Double]
        let momentum: [Double]
    }
    struct Case: Decodable {
        let name: String
        let max_lrs: [Double]
        let lr0: [Double]
        let momentum0: [Double]
        let initial: [Flat]
        let steps: [Step]
    }
    struct File: Decodable {
        let steps: Int
        let cases: [Case]
    }

    /// The largest differences from torch over a whole run; NaN or Inf anywhere counts as infinitely far.
    struct Gaps {
        var parameters = 0.0, learningRates = 0.0, momenta = 0.0

        static func gap(_ value: Double, _ expected: Double) -> Double {
            let difference = abs(value - expected)
            return difference.isFinite ? difference : .infinity
        }

        mutating func compare(rates: [Double], momentum: Double, with expectedRates: [Double], _ expectedMomenta: [Double]) {
            XCTAssertEqual(rates.count, expectedRates.count)
            for (rate, expected) in zip(rates, expectedRates) { learningRates = max(learningRates, Self.gap(rate, expected)) }
            for expected in expectedMomenta { momenta = max(momenta, Self.gap(momentum, expected)) }
        }
    }

    static func fixture() throws -> File {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/one_cycle_momentum.json")
        return try JSONDecoder().decode(File.self, from: Data(contentsOf: url))
    }

    /// The optimizer torch's case used (SGD momentum 0.9, Adam's defaults) and a reader of its momentum or beta1.
    func makeOptimizer(_ name: String, _ groups: [ParameterGroup]) throws -> (Optimizer, () -> Double) {
        switch name {
        case "sgd":
            let sgd = try SGD(groups: groups, momentum: 0.9)
            return (sgd, { sgd.momentum })
        case "adam":
            let adam = try Adam(groups: groups)
            return (adam, { adam.beta1 })
        default: throw TrainingError.invalidConfiguration("no optimizer for case \(name)")
        }
    }

    /// Replays a case: the schedule is attached as torch's constructor does, then step, schedule step, compare.
    func replay(_ c: Case, cycleSteps: Int) throws -> Gaps {
        let params = try c.initial.map { try $0.tensor().requiresGrad_() }
        let groups = zip(params, c.max_lrs).enumerated().map { ParameterGroup(name: "g\($0)", parameters: [$1.0], learningRate: $1.1) }
        let (optimizer, momentum) = try makeOptimizer(c.name, groups)
        var scheduler = try LearningRateScheduler(
            schedule: .oneCycle(OneCycleSchedule(cycleSteps: cycleSteps)), baseLearningRates: c.max_lrs)
        try optimizer.setLearningRates(scheduler.learningRates)
        try scheduler.applyMomentum(to: optimizer)
        var gaps = Gaps()
        gaps.compare(rates: optimizer.groups.map(\.learningRate), momentum: momentum(), with: c.lr0, c.momentum0)
        for step in c.steps {
            for (p, g) in zip(params, step.grads) { try p.setGrad(g.tensor()) }
            try optimizer.step()
            try optimizer.zeroGrad()
            try scheduler.step(updating: optimizer)
            for (p, expected) in zip(params, step.params) {
                gaps.parameters = max(gaps.parameters, Gaps.gap(try (p.detached() - expected.tensor()).abs().max().item(), 0))
            }
            gaps.compare(rates: optimizer.groups.map(\.learningRate), momentum: momentum(), with: step.lr, step.momentum)
        }
        return gaps
    }

    func testSGDMomentumAndAdamBeta1CycleAsTorchOneCycleLR() throws {
        let file = try Self.fixture()
        XCTAssertEqual(Set(file.cases.map(\.name)), ["sgd", "adam"])
        for c in file.cases {
            let gaps = try replay(c, cycleSteps: file.steps)
            print("one-cycle \(c.name): max |Δ| parameters \(gaps.parameters), lr \(gaps.learningRates), momentum \(gaps.momenta)")
            XCTAssertLessThan(gaps.parameters, 1e-6, "\(c.name) parameters")
            XCTAssertLessThan(gaps.learningRates, 1e-12, "\(c.name) learning rates")
            XCTAssertLessThan(gaps.momenta, 1e-12, "\(c.name) momentum")
        }
    }

    func testOneCycleRejectsAnOptimizerWithoutMomentumAndAnUnusableValue() throws {
        final class Plain: Optimizer {
            var groups: [ParameterGroup] = []
            func step() throws {}
            func state() throws -> OptimizerState { OptimizerState() }
            func load(state: OptimizerState) throws {}
            func to(_ device: Device) throws {}
        }
        let scheduler = try LearningRateScheduler(schedule: .oneCycle(OneCycleSchedule(cycleSteps: 10)), baseLearningRates: [])
        XCTAssertThrowsError(try scheduler.applyMomentum(to: Plain())) { XCTAssertTrue("\($0)".contains("has none"), "\($0)") }
        try LearningRateScheduler(schedule: .constant, baseLearningRates: []).applyMomentum(to: Plain())
        let adam = try Adam(groups: [])
        XCTAssertThrowsError(try adam.setMomentum(1))
        XCTAssertThrowsError(try SGD(groups: [], momentum: 0.9, nesterov: true).setMomentum(0))
        XCTAssertEqual(adam.beta1, 0.9, "a refused beta1 changes nothing")
    }
}
