import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import GraftData
import GraftModels
import GraftNN
import GraftReport
import GraftTensor
import GraftTestSupport
import GraftTrain
import XCTest

/// The learning-rate finder on resnet18 (random init, 32×32 Fashion-MNIST, 48 training images): the exponential
/// schedule and group ratios, fastai's smoothing and suggestions against a Python twin of fastai's code, the bitwise
/// restore (and an unaffected run afterwards), the divergence stop, the no-suggestion fallback and the plot files.
final class LearningRateFinderTests: XCTestCase {
    /// A learner training layer4 (lr 1e-4) and the head (lr 1e-3) with Adam; `loss` replaces cross-entropy.
    func makeLearner(epochs: Int = 1, loss: LossFunction? = nil) throws -> Learner {
        let (model, data) = try SmallFashion.modelAndData(trainImages: 48, validationImages: 16, seed: 7)
        let train = try DataLoader(dataset: data.train, transform: data.trainTransform, batchSize: 16, workers: 2, seed: 7)
        let validation = try DataLoader(dataset: data.validation, transform: data.evalTransform, batchSize: 16, shuffle: false, workers: 2)
        let optimizer = try Adam(groups: SmallFashion.layer4AndHead(of: model, layer4: 1e-4, head: 1e-3))
        return try Learner(model: model, trainLoader: train, validationLoader: validation, optimizer: optimizer,
                           loss: loss ?? Learner.crossEntropy(), epochs: epochs, seed: 7)
    }

    /// A loss that ignores the logits (keeping the graph) and returns `values(call)` for the call-th batch.
    func scriptedLoss(_ values: @escaping (Int) -> Double) -> LossFunction {
        var calls = 0
        return { logits, _ in
            calls += 1
            return try (logits * 0).sum() + values(calls)
        }
    }

    func testRatesAreExponentialOverTheRangeAndGroupsKeepTheirRatio() throws {
        let learner = try makeLearner()
        var seen: [[Double]] = []
        learner.trainingStep = { learner, batch in
            seen.append(learner.optimizer.groups.map(\.learningRate))
            let logits = try learner.forward(batch)
            return StepOutput(loss: try learner.loss(logits, batch.labels), logits: logits)
        }
        let finder = LearningRateFinder(startRate: 1e-6, endRate: 1e-1, iterations: 10)
        let result = try finder.run(on: learner, reference: "layer4")
        XCTAssertEqual(result.rates.count, 10, "10 iterations over 3 batches of data (cycled)")
        XCTAssertFalse(result.diverged)
        for (index, rate) in result.rates.enumerated() {
            XCTAssertEqual(rate, 1e-6 * pow(1e5, Double(index) / 10), accuracy: rate * 1e-12)
            XCTAssertEqual(seen[index][0], rate, "layer4 is the reference")
            XCTAssertEqual(seen[index][1], rate * 10, accuracy: rate * 1e-12, "the head keeps its 10× ratio")
        }
        XCTAssertEqual(result.rates.first, 1e-6)
        XCTAssertLessThan(result.rates.last ?? .infinity, 1e-1)
        XCTAssertEqual(result.groups, ["layer4", "head"])
        XCTAssertEqual(learner.optimizer.groups.map(\.learningRate), [1e-4, 1e-3], "rates restored")
    }

    func testSmoothingIsFastaisBiasCorrectedAverage() throws {
        try ReferencePython.require(modules: ["torch"])
        var generator = SeededGenerator(seed: 11)
        let losses = (0..<60).map { 2.3 - 0.01 * Double($0) + Double.random(in: -0.2...0.2, using: &generator) }
        let smoothed = LearningRateFinder.smoothed(losses, beta: 0.98)
        // fastai's AvgSmoothLoss: val = torch.lerp(loss, val, beta); value = val / (1 - beta**count), in float64.
        let code = """
        import json, sys, torch
        val, out = torch.tensor(0., dtype=torch.float64), []
        for count, loss in enumerate(json.loads(sys.argv[1]), 1):
            val = torch.lerp(torch.tensor(loss, dtype=torch.float64), val, 0.98)
            out.append((val / (1 - 0.98 ** count)).item())
        print(json.dumps(out))
        """
        let run = try ReferencePython.run(code: code, arguments: [String(decoding: try JSONEncoder().encode(losses), as: UTF8.self)])
        XCTAssertEqual(run.status, 0, run.errors)
        let expected = try JSONDecoder().decode([Double].self, from: Data(run.output.utf8))
        if let mismatch = Closeness(atol: 1e-12).mismatch(smoothed, expected) { XCTFail("\(mismatch)") }
        XCTAssertEqual(smoothed[0], losses[0], accuracy: 1e-15, "bias correction makes the first value the first loss")
    }

    func testSuggestionsEqualFastaisValleySteepAndMinimum() throws {
        try ReferencePython.require(modules: ["torch"])
        var generator = SeededGenerator(seed: 5)
        let rates = (0..<100).map { 1e-7 * pow(1e8, Double($0) / 100) }
        func curve(_ noise: Double) -> [Double] {
            LearningRateFinder.smoothed(rates.map { rate in
                let x = log10(rate)
                return 2.3 - 1.2 / (1 + exp(-(x + 3) * 2)) + 0.8 * exp(x + 0.5) + Double.random(in: -noise...noise, using: &generator)
            }, beta: 0.98)
        }
        var withNaN = curve(0.05)
        for index in 80..<100 { withNaN[index] = .nan }
        let cases = [curve(0), curve(0.05), curve(0.3), withNaN, Array(curve(0.1).prefix(40))]
        let code = """
        import json, sys, torch
        def valley(lrs, losses):
            n = len(losses); max_start, max_end = 0, 0
            lds = [1] * n
            for i in range(1, n):
                for j in range(0, i):
                    if (losses[i] < losses[j]) and (lds[i] < lds[j] + 1): lds[i] = lds[j] + 1
                    if lds[max_end] < lds[i]: max_end = i; max_start = max_end - lds[max_end]
            sections = (max_end - max_start) / 3
            return float(lrs[max_start + int(sections) + int(sections / 2)])
        def steep(lrs, losses):
            grads = (losses[1:] - losses[:-1]) / (lrs[1:].log() - lrs[:-1].log())
            return lrs[grads.argmin()].item()
        def minimum(lrs, losses):
            return lrs[losses.argmin()].item() / 10
        out = []
        for rates, losses in json.loads(sys.argv[1]):
            n_iter = 100  # lr_find's trimming: [n_iter//10:-5], then everything from the first NaN
            lrs = torch.tensor(rates[n_iter // 10:-5], dtype=torch.float64)
            losses = torch.tensor([float('nan') if l is None else l for l in losses][n_iter // 10:-5], dtype=torch.float64)
            nan = torch.nonzero(torch.isnan(losses.view(-1)))
            if len(nan) > 0: lrs, losses = lrs[:min(nan)], losses[:min(nan)]
            out.append([valley(lrs, losses), steep(lrs, losses), minimum(lrs, losses)])
        print(json.dumps(out))
        """
        let payload = cases.map { losses in [Array(rates.prefix(losses.count)), losses.map { $0.isNaN ? nil : $0 }] as [[Double?]] }
        let run = try ReferencePython.run(code: code, arguments: [String(decoding: try JSONEncoder().encode(payload), as: UTF8.self)])
        XCTAssertEqual(run.status, 0, run.errors)
        let expected = try JSONDecoder().decode([[Double]].self, from: Data(run.output.utf8))
        for (index, losses) in cases.enumerated() {
            let suggestions = try LearningRateSuggestions.from(rates: Array(rates.prefix(losses.count)), smoothedLosses: losses, plannedIterations: 100).get()
            let actual = [suggestions.valley, suggestions.steepest, suggestions.minimumOverTen]
            if let mismatch = Closeness(atol: 0, rtol: 1e-12).mismatch(actual, expected[index]) { XCTFail("case \(index): \(mismatch)") }
        }
    }

    func testWeightsBuffersAndOptimizerStateAreRestoredBitwiseAndALaterRunIsUnaffected() throws {
        let swept = try makeLearner(epochs: 2), plain = try makeLearner(epochs: 2)
        swept.epochs = 1
        plain.epochs = 1
        try swept.fit()
        try plain.fit()
        swept.epochs = 2
        plain.epochs = 2
        let tensors = try swept.model.stateDict().map { ($0.0, try $0.1.clone()) }
        let state = try swept.optimizer.state()
        XCTAssertFalse(state.tensors.isEmpty, "Adam has moments after an epoch")
        let result = try LearningRateFinder(iterations: 20).run(on: swept)
        XCTAssertEqual(result.referenceGroup, "head", "the group with the largest rate")
        XCTAssertGreaterThan(result.rates.count, 5)
        for ((name, before), (_, after)) in zip(tensors, swept.model.stateDict()) {
            XCTAssertEqual(try before.rawBytes(), try after.rawBytes(), name)
        }
        let restored = try swept.optimizer.state()
        XCTAssertEqual(restored.scalars, state.scalars)
        XCTAssertEqual(restored.tensors.map(\.0), state.tensors.map(\.0))
        for ((name, a), (_, b)) in zip(state.tensors, restored.tensors) { XCTAssertEqual(try a.rawBytes(), try b.rawBytes(), name) }
        try swept.fit()
        try plain.fit()
        XCTAssertEqual(swept.history.epochs.map(\.trainLoss), plain.history.epochs.map(\.trainLoss))
        XCTAssertEqual(swept.history.epochs.map(\.validationLoss), plain.history.epochs.map(\.validationLoss))
        for ((name, a), (_, b)) in zip(swept.model.stateDict(), plain.model.stateDict()) { XCTAssertEqual(try a.rawBytes(), try b.rawBytes(), name) }
    }

    func testTheSweepStopsWhenTheSmoothedLossDivergesOrIsNaN() throws {
        // Diverging after 12 batches leaves too few points for a suggestion once fastai's trimming drops the first
        // 10 and the last 5.
        let jumping = try makeLearner(loss: scriptedLoss { $0 < 12 ? 1 : 500 })
        let result = try LearningRateFinder().run(on: jumping)
        XCTAssertTrue(result.diverged)
        XCTAssertEqual(result.losses.count, 12, "stops at the first batch whose smoothed loss exceeds 4× the minimum")
        XCTAssertTrue(result.noSuggestionReason?.contains("too few") ?? false, result.noSuggestionReason ?? "")
        XCTAssertGreaterThan(result.smoothedLosses.last ?? 0, 4 * (result.smoothedLosses.min() ?? .infinity))
        XCTAssertNil(result.suggestions)
        XCTAssertEqual(result.suggestedRate(fallback: 1e-3), 1e-3)

        let nan = try makeLearner(loss: scriptedLoss { $0 < 30 ? 2 - 0.01 * Double($0) : .nan })
        let stopped = try LearningRateFinder().run(on: nan)
        XCTAssertTrue(stopped.diverged)
        XCTAssertEqual(stopped.losses.count, 30)
        XCTAssertTrue(stopped.losses.last?.isNaN ?? false)
        let suggestion = try XCTUnwrap(stopped.suggestions, stopped.noSuggestionReason ?? "")
        XCTAssertTrue(suggestion.valley.isFinite && suggestion.steepest.isFinite && suggestion.minimumOverTen.isFinite)
    }

    func testALossThatNeverFallsGivesTheFallbackWithAReason() throws {
        let learner = try makeLearner(loss: scriptedLoss { 1 + 1e-3 * Double($0) })
        let result = try LearningRateFinder(iterations: 30).run(on: learner)
        XCTAssertFalse(result.diverged)
        XCTAssertEqual(result.losses.count, 30)
        XCTAssertNil(result.suggestions)
        XCTAssertTrue(result.noSuggestionReason?.contains("never fell") ?? false, result.noSuggestionReason ?? "")
        XCTAssertEqual(result.suggestedRate(fallback: 1e-3), 1e-3)
        XCTAssertTrue(result.summary(fallback: 1e-3).contains("the default 0.001 applies"), result.summary(fallback: 1e-3))
        // Too few points: a sweep of 6 batches keeps one after fastai's trimming.
        let short = try LearningRateFinder(iterations: 6).run(on: try makeLearner())
        XCTAssertNil(short.suggestions)
        XCTAssertTrue(short.noSuggestionReason?.contains("too few") ?? false, short.noSuggestionReason ?? "")
    }

    func testThePlotFilesDecodeAndParse() throws {
        let learner = try makeLearner()
        let result = try LearningRateFinder(iterations: 40).run(on: learner)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("graft-lrfind-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        XCTAssertEqual(try result.write(to: directory), ["lr_find.svg", "lr_find.png", "lr_find.json"])
        let image = try ImageDecoder.decodeFile(atPath: directory.appendingPathComponent("lr_find.png").path)
        XCTAssertEqual([image.width, image.height], [960, 640])
        let svg = try Data(contentsOf: directory.appendingPathComponent("lr_find.svg"))
        let parser = XMLParser(data: svg)
        XCTAssertTrue(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
        XCTAssertTrue(String(decoding: svg, as: UTF8.self).contains("lr finder (head)"))
        let encoder = JSONDecoder()
        encoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let decoded = try encoder.decode(LearningRateFinderResult.self, from: Data(contentsOf: directory.appendingPathComponent("lr_find.json")))
        XCTAssertEqual(decoded.rates, result.rates)
        XCTAssertEqual(decoded.suggestions, result.suggestions)
    }

    func testAutoBackboneRateWithTheFullStrategyScalesEveryBackboneGroupKeepingTheLayerDecay() throws {
        guard FileManager.default.fileExists(atPath: DataSpec.fashionMNISTDirectory) else {
            throw Prerequisite.missing("Debian's dataset-fashion-mnist is not installed")
        }
        let settings = FineTuneSettings(epochs: 1, batchSize: 16, findBackboneLearningRate: true, strategy: .full, workers: 2, imageSize: 32)
        Engine.manualSeed(7)
        let model = try Models.make("resnet18", numClasses: 10)
        let data = try DataSpec(source: "fashion-mnist", trainLimit: 32, validationLimit: 16).load(config: model.pretrainedConfig, settings: settings)
        let learner = try Learner(model: model, data: data, settings: settings)
        // A loss falling then rising over the sweep, so the suggestion does not depend on the network.
        learner.loss = scriptedLoss { 2 + 0.5 * cos(Double($0) / 30 * Double.pi) }
        let plan = PhasedUnfreezing(phases: try PhasePlan.phases(for: settings, groups: model.layerGroups.map(\.name)),
                                    backboneRateFinder: LearningRateFinder(iterations: 30))
        try plan.epochBegan(learner)
        let sweep = try XCTUnwrap(plan.sweeps.first)
        XCTAssertEqual(plan.sweeps.count, 1)
        XCTAssertEqual(sweep.referenceGroup, "layer4")
        XCTAssertEqual(sweep.groups, ["head", "layer4", "layer3", "layer2", "layer1", "stem"])
        let found = try XCTUnwrap(sweep.suggestions?.valley)
        let expected = [settings.headLearningRate, found, found * 0.5, found * 0.25, found * 0.125, found * 0.0625]
        if let mismatch = Closeness(atol: 0, rtol: 1e-12).mismatch(learner.scheduler.baseLearningRates, expected) { XCTFail("\(mismatch)") }
        XCTAssertEqual(learner.settings?.backboneLearningRate ?? 0, found, accuracy: found * 1e-12)
        XCTAssertEqual(learner.settings?.findBackboneLearningRate, false)
        XCTAssertEqual(learner.history.foundLearningRates?["backbone"], found)
    }

    func testSettingsSavedBeforeTheFinderExistedStillDecode() throws {
        var object = try XCTUnwrap(JSONSerialization.jsonObject(with: JSONEncoder().encode(FineTuneSettings(findHeadLearningRate: true))) as? [String: Any])
        XCTAssertEqual(object["findHeadLearningRate"] as? Bool, true)
        object["findHeadLearningRate"] = nil
        object["findBackboneLearningRate"] = nil
        let old = try JSONDecoder().decode(FineTuneSettings.self, from: JSONSerialization.data(withJSONObject: object))
        XCTAssertEqual(old, FineTuneSettings())
    }

    func testFindingTheBackboneRateWithTheHeadStrategyIsRefused() throws {
        var settings = FineTuneSettings(strategy: .head)
        settings.findBackboneLearningRate = true
        XCTAssertThrowsError(try settings.validate()) { error in
            guard case let TrainingError.invalidSetting(name, message) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(name, "backboneLearningRate")
            XCTAssertTrue(message.contains("head strategy trains none"), message)
        }
        settings.strategy = .progressive
        XCTAssertNoThrow(try settings.validate())
    }
}
