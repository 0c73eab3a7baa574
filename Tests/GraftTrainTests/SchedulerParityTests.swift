import Foundation
import XCTest

@testable import GraftTrain

/// Compares every schedule with PyTorch's lrs, recorded by scripts/fixtures/make_scheduler_fixtures.py.
final class SchedulerParityTests: XCTestCase {
    private struct Fixture: Decodable {
        let torch: String
        let scenarios: [Scenario]
    }

    private struct Scenario: Decodable {
        struct AddedGroup: Decodable {
            let before_step: Int
            let base_lr: Double
        }
        let name: String
        let schedule: AnyLearningRateSchedule
        let base_lrs: [Double]
        let lrs: [[Double]]
        let added_group: AddedGroup?
        let momentum: [Double]?
    }

    private func loadFixture() throws -> Fixture {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/schedulers.json")
        return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }

    func testEveryScenarioMatchesPyTorchStepForStep() throws {
        let fixture = try loadFixture()
        XCTAssertGreaterThanOrEqual(fixture.scenarios.count, 11)
        var worst = 0.0
        for scenario in fixture.scenarios {
            XCTAssertGreaterThanOrEqual(scenario.lrs.count, 101, scenario.name)
            var scheduler = try LearningRateScheduler(schedule: scenario.schedule, baseLearningRates: scenario.base_lrs)
            for (step, expected) in scenario.lrs.enumerated() {
                if step > 0 {
                    if let added = scenario.added_group, added.before_step == step {
                        try scheduler.addGroup(baseLearningRate: added.base_lr)
                    }
                    try scheduler.step()
                }
                let actual = scheduler.learningRates
                XCTAssertEqual(actual.count, expected.count, "\(scenario.name) step \(step): group count")
                for (group, (mine, theirs)) in zip(actual, expected).enumerated() {
                    worst = max(worst, abs(mine - theirs))
                    XCTAssertEqual(mine, theirs, accuracy: 1e-6, "\(scenario.name) step \(step) group \(group)")
                }
            }
        }
        print("scheduler parity: \(fixture.scenarios.count) scenarios vs torch \(fixture.torch), max |diff| = \(worst)")
    }

    func testOneCycleMomentumMatchesPyTorch() throws {
        let scenarios = try loadFixture().scenarios.filter { $0.momentum != nil }
        XCTAssertFalse(scenarios.isEmpty)
        for scenario in scenarios {
            var scheduler = try LearningRateScheduler(schedule: scenario.schedule, baseLearningRates: scenario.base_lrs)
            for (step, expected) in (scenario.momentum ?? []).enumerated() {
                if step > 0 { try scheduler.step() }
                let momentum = try XCTUnwrap(scheduler.cycledMomentum, "\(scenario.name) is not one-cycle")
                XCTAssertEqual(momentum, expected, accuracy: 1e-9, "\(scenario.name) step \(step)")
            }
        }
    }

    func testGroupsKeepTheirRatioUnderEverySchedule() throws {
        let cosine = AnyLearningRateSchedule.cosine(try CosineAnnealingSchedule(tMax: 30))
        let schedules: [AnyLearningRateSchedule] = [
            cosine, .step(try StepDecaySchedule(stepSize: 7, gamma: 0.5)), .linear(try LinearSchedule()),
            .sequential(try .warmup(startFactor: 0.05, warmupSteps: 8, then: cosine)),
            .oneCycle(try OneCycleSchedule(cycleSteps: 60, annealStrategy: .linear)),
        ]
        for schedule in schedules {
            var scheduler = try LearningRateScheduler(schedule: schedule, baseLearningRates: [0.1, 0.01])
            for step in 1...29 {
                let lrs = try scheduler.step()
                XCTAssertEqual(lrs[0] / lrs[1], 10, accuracy: 1e-9, "\(schedule.name) step \(step)")
                XCTAssertEqual(try scheduler.multiplier(group: 0), try scheduler.multiplier(group: 1), accuracy: 1e-12)
            }
        }
    }
}
