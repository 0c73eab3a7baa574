import Foundation
import GraftIO

/// A scheduler as a PyTorch checkpoint's `scheduler_state_dict`: cosine annealing in the layout of torch 1.13's
/// `CosineAnnealingLR.state_dict()`, which `scheduler.load_state_dict` accepts; every other schedule as Graft's JSON
/// under `graft_scheduler`, which only Graft reads.
extension LearningRateScheduler {
    /// The key holding a non-cosine scheduler's Graft JSON.
    static let graftJSONKey = "graft_scheduler"

    /// The `scheduler_state_dict` for this scheduler.
    public func torchStateDict() throws -> PickleValue {
        guard case .cosine(let cosine) = schedule else {
            let json = String(decoding: try JSONEncoder().encode(self), as: UTF8.self)
            return .dict([PickleEntry(key: .string(Self.graftJSONKey), value: .string(json))])
        }
        let floats = { (values: [Double]) in PickleValue.list(values.map { .float($0) }) }
        let entries: [(String, PickleValue)] = [
            ("T_max", .int(cosine.tMax)), ("eta_min", .float(cosine.etaMin)), ("base_lrs", floats(baseLearningRates)),
            ("last_epoch", .int(stepCount)), ("verbose", .bool(false)), ("_step_count", .int(stepCount + 1)),
            ("_get_lr_called_within_step", .bool(false)), ("_last_lr", floats(learningRates)),
        ]
        return .dict(entries.map { PickleEntry(key: .string($0.0), value: $0.1) })
    }

    /// The scheduler a `scheduler_state_dict` describes: torch's `CosineAnnealingLR` layout or Graft's JSON.
    public init(torchStateDict value: PickleValue) throws {
        if case .string(let json)? = value[Self.graftJSONKey] {
            self = try JSONDecoder().decode(LearningRateScheduler.self, from: Data(json.utf8))
            return
        }
        guard case .int(let tMax)? = value["T_max"], case .int(let lastEpoch)? = value["last_epoch"],
              let etaMin = value["eta_min"]?.pythonNumber,
              case .list(let bases)? = value["base_lrs"] else {
            let keys = (value.dictEntries ?? []).map(\.key.pythonDescription).joined(separator: ", ")
            throw TrainingError.invalidSchedulerState(
                "only CosineAnnealingLR's state (T_max, eta_min, base_lrs, last_epoch) and Graft's are understood; this one has keys \(keys)")
        }
        let baseLearningRates = try bases.map { base -> Double in
            guard let lr = base.pythonNumber else { throw TrainingError.invalidSchedulerState("base_lrs holds a non-number") }
            return lr
        }
        try self.init(schedule: .cosine(try CosineAnnealingSchedule(tMax: tMax, etaMin: etaMin)),
                      baseLearningRates: baseLearningRates, stepCount: lastEpoch)
    }
}
