import Foundation
import XCTest

@testable import GraftTrain

/// Save/restore, config decoding and validation of schedules and the scheduler.
final class SchedulerStateTests: XCTestCase {
    private func warmupCosine() throws -> AnyLearningRateSchedule {
        .sequential(try .warmup(startFactor: 0.1, warmupSteps: 5, then: .cosine(try CosineAnnealingSchedule(tMax: 40))))
    }

    func testResumeFromSavedStateContinuesIdentically() throws {
        var uninterrupted = try LearningRateScheduler(schedule: try warmupCosine(), baseLearningRates: [1e-3, 1e-4])
        var first = uninterrupted
        for _ in 0..<17 { try first.step() }
        try first.addGroup(baseLearningRate: 5e-5)
        let saved = try JSONEncoder().encode(first)
        var resumed = try JSONDecoder().decode(LearningRateScheduler.self, from: saved)
        XCTAssertEqual(resumed, first)

        for _ in 0..<17 { try uninterrupted.step() }
        try uninterrupted.addGroup(baseLearningRate: 5e-5)
        for _ in 0..<30 {
            XCTAssertEqual(try resumed.step(), try uninterrupted.step())  // bit-identical, not approximately
        }
        XCTAssertEqual(resumed.stepCount, 47)
    }

    func testConfigJSONDecodesWithDefaults() throws {
        let json = #"{"type": "oneCycle", "cycleSteps": 200, "annealStrategy": "linear"}"#
        let schedule = try JSONDecoder().decode(AnyLearningRateSchedule.self, from: Data(json.utf8))
        guard case .oneCycle(let oneCycle) = schedule else { return XCTFail("decoded \(schedule)") }
        XCTAssertEqual(oneCycle.cycleSteps, 200)
        XCTAssertEqual(oneCycle.pctStart, 0.3)
        XCTAssertEqual(oneCycle.divFactor, 25)
        XCTAssertEqual(oneCycle.annealStrategy, .linear)
        let roundTrip = try JSONDecoder().decode(
            AnyLearningRateSchedule.self, from: try JSONEncoder().encode(try warmupCosine()))
        XCTAssertEqual(roundTrip, try warmupCosine())
        let constant = try JSONDecoder().decode(AnyLearningRateSchedule.self, from: Data(#"{"type":"constant"}"#.utf8))
        XCTAssertEqual(constant.learningRate(baseLR: 0.3, step: 99), 0.3)
    }

    func testInvalidSettingsAreRejectedWithTheirName() {
        XCTAssertThrowsError(try CosineAnnealingSchedule(tMax: 0)) { error in
            XCTAssertTrue("\(error)".contains("tMax"), "\(error)")
        }
        XCTAssertThrowsError(try StepDecaySchedule(stepSize: -3))
        XCTAssertThrowsError(try LinearSchedule(startFactor: 0))
        XCTAssertThrowsError(try OneCycleSchedule(cycleSteps: 10, pctStart: 0.05)) { error in
            XCTAssertTrue("\(error)".contains("pctStart"), "\(error)")
        }
        XCTAssertThrowsError(try SequentialSchedule(schedules: [.constant, .constant], milestones: []))
        XCTAssertThrowsError(try SequentialSchedule(schedules: [.constant, .constant, .constant], milestones: [5, 5]))
        XCTAssertThrowsError(try LearningRateScheduler(schedule: .constant, baseLearningRates: [0.1, .nan]))
        let badType = #"{"type": "exponential", "gamma": 0.9}"#
        XCTAssertThrowsError(try JSONDecoder().decode(AnyLearningRateSchedule.self, from: Data(badType.utf8)))
        let badCosine = #"{"type": "cosine", "tMax": -1}"#
        XCTAssertThrowsError(try JSONDecoder().decode(AnyLearningRateSchedule.self, from: Data(badCosine.utf8)))
    }

    func testOneCycleRefusesToStepPastItsEnd() throws {
        var scheduler = try LearningRateScheduler(
            schedule: .oneCycle(try OneCycleSchedule(cycleSteps: 20)), baseLearningRates: [0.1])
        for _ in 0..<20 { try scheduler.step() }
        XCTAssertThrowsError(try scheduler.step()) { error in
            XCTAssertEqual(error as? TrainingError, .schedulePastEnd(schedule: "oneCycle", step: 21, totalSteps: 20))
        }
        XCTAssertEqual(scheduler.stepCount, 20)
        var tampered = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(scheduler)) as? [String: Any]
        tampered?["stepCount"] = 25
        let data = try JSONSerialization.data(withJSONObject: tampered ?? [:])
        XCTAssertThrowsError(try JSONDecoder().decode(LearningRateScheduler.self, from: data))
    }

    func testUnknownGroupIsAnError() throws {
        let scheduler = try LearningRateScheduler(schedule: .constant, baseLearningRates: [0.1])
        XCTAssertThrowsError(try scheduler.learningRate(group: 1))
        XCTAssertEqual(try scheduler.multiplier(group: 0), 1)
        XCTAssertNil(scheduler.cycledMomentum, "only one-cycle drives momentum")
    }
}
