import Foundation
import GraftNN
import GraftTensor
import GraftTestSupport
import GraftTrain
import XCTest

/// A BatchNorm and a linear layer, with PyTorch's state-dict names `bn.*` and `fc.*`.
final class NormalizedLinear: Module {
    let bn: BatchNorm2d
    let fc: Linear

    init(channels: Int) throws {
        bn = try BatchNorm2d(channels)
        fc = try Linear(18, 3)
        super.init()
    }

    override var namedChildren: [(String, Module)] { [("bn", bn), ("fc", fc)] }
    override func forward(_ input: Tensor) throws -> Tensor { try fc(bn(input).flatten(start: 1)) }
}

/// The weight average after K SGD steps equals timm's `ModelEmaV2` update (ema·decay + (1 − decay)·value over the
/// floating-point state dict, parameters and BatchNorm statistics; `num_batches_tracked` copied, as `ModelEmaV3` does
/// — V2 would truncate its average to an integer) around torch.optim's SGD, within 1e-6.
final class WeightAverageParityTests: XCTestCase {
    static let twin = """
    import json, sys, copy, torch, torch.nn as nn
    d = json.load(open(sys.argv[1]))
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.bn = nn.BatchNorm2d(2)
            self.fc = nn.Linear(18, 3)
        def forward(self, x):
            return self.fc(self.bn(x).flatten(1))
    model = Net()
    model.load_state_dict({k: torch.tensor(v['data']).reshape(v['shape']) for k, v in d['state'].items()})
    ema = copy.deepcopy(model)
    decay = d['decay']
    x = torch.tensor(d['x']).reshape(6, 2, 3, 3)
    y = torch.tensor(d['y'], dtype=torch.int64)
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    for _ in range(d['steps']):
        opt.zero_grad()
        nn.functional.cross_entropy(model(x), y).backward()
        opt.step()
        with torch.no_grad():  # timm ModelEmaV2._update; integer entries copied as ModelEmaV3 does
            for ema_v, model_v in zip(ema.state_dict().values(), model.state_dict().values()):
                if ema_v.is_floating_point():
                    ema_v.copy_(ema_v * decay + (1. - decay) * model_v)
                else:
                    ema_v.copy_(model_v)
    print(json.dumps({k: v.flatten().tolist() for k, v in ema.state_dict().items()}))
    """

    func testAverageAfterStepsMatchesTimmsModelEmaV2() throws {
        Engine.manualSeed(3)
        let model = try NormalizedLinear(channels: 2)
        let x = try Tensor.randn([6, 2, 3, 3]), labels: [Int64] = [0, 1, 2, 2, 1, 0]
        let decay = 0.8, steps = 5
        var state: [String: Any] = [:]
        for (name, tensor) in model.stateDict() where tensor.dtype.isFloatingPoint {
            state[name] = ["data": try tensor.detached().floats(), "shape": tensor.shape]
        }
        let reference = try ReferenceJSON.run(code: Self.twin, input: [
            "state": state, "decay": decay, "x": try x.floats(), "y": labels, "steps": steps,
        ])
        let average = try WeightAverage(model: model, decay: decay)
        let optimizer = try SGD(groups: [ParameterGroup(name: "all", parameters: model.parameters(), learningRate: 0.1)], momentum: 0.9)
        let targets = try Tensor(labels, shape: [6])
        for _ in 0..<steps {
            try optimizer.zeroGrad()
            try model(x).crossEntropy(targets: targets).backward()
            try optimizer.step()
            try average.update(from: model)
        }
        XCTAssertEqual(average.entries.map(\.0), model.stateDict().map(\.0))
        for (name, tensor) in average.entries {
            let expected = try ReferenceJSON.floats(reference[name])
            if tensor.dtype.isFloatingPoint {
                XCTAssertNil(Closeness(atol: 1e-6).mismatch(try tensor.floats(), expected), name)
            } else {
                XCTAssertEqual(try tensor.scalars(as: Int64.self), expected.map { Int64($0) }, "\(name) is copied")
            }
        }
        let raw = try model.fc.weight.detached().floats(), averaged = try XCTUnwrap(average.entries.first { $0.0 == "fc.weight" }?.1).floats()
        XCTAssertGreaterThan(zip(raw, averaged).map { abs($0 - $1) }.max() ?? 0, 1e-3, "the average lags the raw weights")
    }

    func testUnchangedEntriesStayBitIdenticalAndLoadingSwapsBack() throws {
        Engine.manualSeed(4)
        let model = try NormalizedLinear(channels: 2)
        let average = try WeightAverage(model: model, decay: 0.999)
        let frozen = try model.bn.weight.detached().floats()
        try withNoGrad { try model.fc.weight.add_(1) }
        for _ in 0..<20 { try average.update(from: model) }
        XCTAssertEqual(try XCTUnwrap(average.entries.first { $0.0 == "bn.weight" }?.1).floats(), frozen, "no drift in entries that did not change")
        let raw = try model.fc.weight.detached().clone()
        let seen = try average.whileLoaded(into: model) { try model.fc.weight.detached().clone() }
        XCTAssertEqual(try seen.floats(), try XCTUnwrap(average.entries.first { $0.0 == "fc.weight" }?.1).floats())
        XCTAssertEqual(try model.fc.weight.detached().floats(), try raw.floats(), "the raw weights are back")
        struct Boom: Error {}
        XCTAssertThrowsError(try average.whileLoaded(into: model) { throw Boom() })
        XCTAssertEqual(try model.fc.weight.detached().floats(), try raw.floats(), "the raw weights are back after an error")
        XCTAssertThrowsError(try WeightAverage(model: model, decay: 1))
        XCTAssertThrowsError(try average.load([("fc.weight", raw)]), "a partial average is refused")
    }
}
