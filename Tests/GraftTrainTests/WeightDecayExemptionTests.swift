import Foundation
import GraftIO
import GraftNN
import GraftTensor
import GraftTestSupport
import GraftTrain
import XCTest

/// A group built with `ParameterGroup.exemptingNormAndBias` steps like torch.optim given timm's two groups (the matrix
/// with weight decay, the bias and norm weight with 0) for SGD with momentum and AdamW, within 1e-6; its torch.optim
/// export is those two groups, and a torch twin that loads it takes Graft's next step.
final class WeightDecayExemptionTests: XCTestCase {
    /// The torch side: replays the steps with two param groups, then loads Graft's exported state into a fresh twin
    /// placed at Graft's parameters after step 2 and takes step 3.
    static let twin = """
    import json, sys, torch
    case = json.load(open(sys.argv[1]))
    def tensors(values):
        return [torch.tensor(v, dtype=torch.float32).reshape(s).requires_grad_() for v, s in zip(values, case["shapes"])]
    def optimizer(params):
        groups = [{"params": [params[0]], "weight_decay": case["wd"]}, {"params": params[1:], "weight_decay": 0.0}]
        if case["kind"] == "sgd":
            return torch.optim.SGD(groups, lr=case["lr"], momentum=0.9)
        return torch.optim.AdamW(groups, lr=case["lr"])
    def step(params, opt, grads):
        for p, g, s in zip(params, grads, case["shapes"]):
            p.grad = torch.tensor(g, dtype=torch.float32).reshape(s)
        opt.step()
        return [p.detach().flatten().tolist() for p in params]
    params = tensors(case["initial"])
    opt = optimizer(params)
    trajectory = [step(params, opt, g) for g in case["grads"]]
    loaded = tensors(case["graft_after_two"])
    twin = optimizer(loaded)
    state = torch.load(case["state"])
    twin.load_state_dict(state)
    print(json.dumps({"trajectory": trajectory, "loaded_next": step(loaded, twin, case["grads"][2]),
                      "saved_weight_decays": [g["weight_decay"] for g in state["param_groups"]]}))
    """

    private func compare(_ kind: String, learningRate: Double, weightDecay: Double,
                         make: ([ParameterGroup]) throws -> any TorchStateDictConvertible) throws {
        try ReferencePython.require(modules: ["torch"])
        Engine.manualSeed(11)
        let shapes = [[4, 3], [4], [3]]
        let initial = try shapes.map { try Tensor.randn($0) }
        let grads = try (0..<3).map { _ in try shapes.map { try Tensor.randn($0) } }
        let params = try initial.map { try $0.clone().requiresGrad_() }
        let group = ParameterGroup.exemptingNormAndBias(name: "layer4", parameters: params, learningRate: learningRate, weightDecay: weightDecay)
        XCTAssertEqual(group.decayExempt, [1, 2], "the bias and the 1-D norm weight are exempt, the matrix is not")
        let optimizer = try make([group])
        var trajectory: [[[Float]]] = []
        var afterTwo: [[Float]] = []
        let stateFile = FileManager.default.temporaryDirectory.appendingPathComponent("graft-exempt-\(UUID().uuidString).pth")
        defer { try? FileManager.default.removeItem(at: stateFile) }
        for (index, stepGrads) in grads.enumerated() {
            if index == 2 {
                afterTwo = try params.map { try $0.detached().floats() }
                try TorchPthWriter.write(try optimizer.torchStateDict(), to: stateFile)
                let fresh = try make([ParameterGroup.exemptingNormAndBias(name: "layer4", parameters: params, learningRate: learningRate, weightDecay: weightDecay)])
                try fresh.loadTorchStateDict(try optimizer.torchStateDict())
                XCTAssertEqual(try fresh.torchStateDict(), try optimizer.torchStateDict(), "\(kind): the export round-trips")
                let undivided = try make([ParameterGroup(name: "layer4", parameters: params, learningRate: learningRate, weightDecay: weightDecay)])
                XCTAssertThrowsError(try undivided.loadTorchStateDict(try optimizer.torchStateDict())) {
                    XCTAssertTrue("\($0)".contains("exempt"), "\($0)")
                }
            }
            for (p, g) in zip(params, stepGrads) { try p.setGrad(g) }
            try optimizer.step()
            trajectory.append(try params.map { try $0.detached().floats() })
        }
        let caseFile = FileManager.default.temporaryDirectory.appendingPathComponent("graft-exempt-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: caseFile) }
        let description: [String: Any] = [
            "kind": kind, "lr": learningRate, "wd": weightDecay, "shapes": shapes, "state": stateFile.path,
            "initial": try initial.map { try $0.floats() }, "grads": try grads.map { try $0.map { try $0.floats() } },
            "graft_after_two": afterTwo,
        ]
        try JSONSerialization.data(withJSONObject: description).write(to: caseFile)
        let run = try ReferencePython.run(code: Self.twin, arguments: [caseFile.path])
        XCTAssertEqual(run.status, 0, run.errors)
        let summary = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(try XCTUnwrap(run.output.split(separator: "\n").last).utf8)) as? [String: Any])
        XCTAssertEqual(summary["saved_weight_decays"] as? [Double], [weightDecay, 0], "\(kind): one torch group per decay")
        let torchTrajectory = try XCTUnwrap(summary["trajectory"] as? [[[Double]]])
        for (step, (mine, theirs)) in zip(trajectory, torchTrajectory).enumerated() {
            for (index, (a, b)) in zip(mine, theirs).enumerated() {
                XCTAssertNil(Closeness(atol: 1e-6).mismatch(a, b), "\(kind) step \(step) parameter \(index)")
            }
        }
        let loadedNext = try XCTUnwrap(summary["loaded_next"] as? [[Double]])
        for (index, (a, b)) in zip(trajectory[2], loadedNext).enumerated() {
            XCTAssertNil(Closeness(atol: 1e-6).mismatch(a, b), "\(kind): the twin loaded from Graft's export, parameter \(index)")
        }
    }

    func testSGDWithMomentumMatchesTwoTorchGroups() throws {
        try compare("sgd", learningRate: 0.1, weightDecay: 0.05) { try SGD(groups: $0, momentum: 0.9) }
    }

    func testAdamWMatchesTwoTorchGroups() throws {
        try compare("adamw", learningRate: 0.01, weightDecay: 0.5) { try Adam(groups: $0, decoupledWeightDecay: true) }
    }

    /// A checkpoint's cosine scheduler lists one rate per torch param group (torch's schedulers zip them with the
    /// groups), and reads back as the Graft scheduler it was.
    func testCheckpointSchedulerHasOneRatePerTorchGroup() throws {
        Engine.manualSeed(3)
        let model = try Linear(3, 4)
        let optimizer = try Adam(groups: [.exemptingNormAndBias(name: "head", parameters: model.parameters(), learningRate: 1e-3, weightDecay: 0.1)],
                                 decoupledWeightDecay: true)
        var scheduler = try LearningRateScheduler(schedule: .cosine(try CosineAnnealingSchedule(tMax: 10)), baseLearningRates: [1e-3])
        try scheduler.step()
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("graft-exempt-\(UUID().uuidString).pth")
        defer { try? FileManager.default.removeItem(at: url) }
        try TrainingCheckpoint(epoch: 1, model: model, optimizer: optimizer, scheduler: scheduler).save(to: url)
        let saved = try CheckpointReader.readObject(contentsOf: url)
        guard case .list(let groups)? = saved["optimizer_state_dict"]?["param_groups"],
              case .list(let baseRates)? = saved["scheduler_state_dict"]?["base_lrs"],
              case .list(let lastRates)? = saved["scheduler_state_dict"]?["_last_lr"] else { return XCTFail("unexpected layout: \(saved)") }
        XCTAssertEqual(groups.count, 2)
        XCTAssertEqual(baseRates, [.float(1e-3), .float(1e-3)])
        XCTAssertEqual(lastRates.count, 2)
        XCTAssertEqual(try TrainingCheckpoint(contentsOf: url).scheduler, scheduler)
    }
}
