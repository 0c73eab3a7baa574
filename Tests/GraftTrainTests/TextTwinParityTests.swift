import Foundation
import GraftData
import GraftModels
import GraftTensor
import GraftTestSupport
import GraftText
import GraftTrain
import XCTest

/// The learner's text recipe is the benchmark twin's (`Benchmarks/python/text_finetune.py`, PyTorch + transformers,
/// recomputing the frozen encoder every batch) step by step: all-MiniLM-L6-v2 with dropout off, real Rotten Tomatoes
/// snippets, the twin fed the learner's head initialisation and batches. Two head epochs on Graft's cached embeddings,
/// then layer 5 unfrozen (trained on cached layer-5 inputs), then layer 4 at half its rate (on cached layer-4 inputs),
/// cosine annealing, AdamW with biases and LayerNorm weights exempt from decay — every training loss, the validation
/// accuracies and the trained weights agree.
final class TextTwinParityTests: XCTestCase {
    static let benchmarks = PackagePaths.file("Benchmarks/python")

    /// Runs `text_finetune.fine_tune` with the twin's arguments `args` on the model in `folder`, its head set to
    /// `head` and epoch E trained on `batches[E]`; returns the training losses, the validation accuracies, the classes
    /// and, for every classifier, layer-4 and layer-5 parameter, every `stride(numel)`-th value (at most 4,096 per tensor).
    static let twinCode = """
    import json, sys
    import torch
    plan = json.load(open(sys.argv[1]))
    sys.path.insert(0, plan["benchmarks"])
    import text_finetune as tf
    from text_step import MeanPooledClassifier
    from transformers import BertTokenizerFast
    torch.set_num_threads(1)
    args = tf.parser().parse_args(plan["args"])
    *data, classes = tf.read_split(args, BertTokenizerFast.from_pretrained(plan["folder"]))
    model = MeanPooledClassifier(len(classes), plan["folder"])
    with torch.no_grad():
        model.classifier.weight.copy_(torch.tensor(plan["headWeight"]).view_as(model.classifier.weight))
        model.classifier.bias.copy_(torch.tensor(plan["headBias"]))
    losses = []
    accuracies, _ = tf.fine_tune(model, data, args, lambda epoch: plan["batches"][epoch], losses.append)
    samples = {name: p.detach().flatten()[::max(1, p.numel() // 4096)].tolist() for name, p in model.named_parameters()
               if name.startswith(("classifier.", "bert.encoder.layer.4.", "bert.encoder.layer.5."))}
    print(json.dumps({"losses": losses, "accuracies": accuracies, "classes": classes, "samples": samples}))
    """

    func testLearnerTrainsLikeTheTwinStepByStep() throws {
        try ReferencePython.require(modules: ["torch", "transformers"])
        let directory = try PackagePaths.temporaryDirectory(for: self)
        let data = directory.appendingPathComponent("data")
        let written = try ReferencePython.run([Self.benchmarks.appendingPathComponent("text_data.py").path, "rotten-tomatoes",
                                               data.path, "--limit", "64", "--val-limit", "32"])
        guard written.status == 0 else { throw RigError("text_data.py failed: \(written.errors.suffix(2000))") }
        let folder = try Self.miniLMWithoutDropout(in: directory.appendingPathComponent("minilm"))

        var settings = FineTuneSettings(epochs: 4, headEpochs: 2, unfreezeDepth: 2)
        settings.batchSize = 16
        let trainFile = data.appendingPathComponent("train.csv").path, validationFile = data.appendingPathComponent("val.csv").path
        let texts = try DataSpec(source: trainFile, validation: validationFile).loadTexts(settings: settings)
        let pretrained = try PretrainedTextModel("minilm_l6", folder: folder, numClasses: texts.train.classes.count, seed: settings.seed)
        let recorder = TextStageCacheTests.BatchRecorder()
        let learner = try Learner(model: pretrained.model, data: texts, tokenizer: pretrained.tokenizer, settings: settings,
                                  callbacks: [recorder])
        let head = pretrained.model.classifier
        let plan: [String: Any] = [
            "benchmarks": Self.benchmarks.path, "folder": folder.path,
            "args": ["--train", trainFile, "--val", validationFile, "--epochs", "4", "--head-epochs", "2", "--unfreeze-depth", "2",
                     "--batch", "16", "--max-length", "\(FineTuneSettings.defaultMaxLength)",
                     "--head-lr", "\(settings.headLearningRate)", "--lr", "\(settings.backboneLearningRate)",
                     "--layer-decay", "\(settings.layerDecay)", "--weight-decay", "\(settings.weightDecay)"],
            "batches": (0..<settings.epochs).map { learner.trainLoader.batchGroups(epoch: $0) },
            "headWeight": try head.weight.scalars(as: Float.self),
            "headBias": try head.bias!.scalars(as: Float.self)]
        let history = try learner.fit()
        let twin = try ReferenceJSON.run(code: Self.twinCode, input: plan)

        XCTAssertEqual(twin["classes"] as? [String], learner.classes)
        XCTAssertEqual(history.epochs.map(\.phase), ["head", "head", "head + layer5", "head + layer5 + layer4"])
        XCTAssertEqual(recorder.losses.count, 16, "4 epochs of 4 batches")
        // Graft's frozen layers ran once per text in other batches (other padding), so sums round differently: the
        // losses agree within 1.2e-7 relative, the weights within 5e-7 (tolerances ×10 and ×4).
        let lossMismatch = Closeness(atol: 1e-6, rtol: 1e-6).mismatch(recorder.losses, try ReferenceJSON.floats(twin["losses"]))
        XCTAssertNil(lossMismatch, "training losses, batch by batch")
        XCTAssertNil(Closeness(atol: 1e-9).mismatch(history.epochs.compactMap(\.validationAccuracy), try ReferenceJSON.floats(twin["accuracies"])),
                     "validation accuracies")

        let samples = try XCTUnwrap(twin["samples"] as? [String: Any])
        let trained = learner.model.stateDict().filter { samples[$0.0] != nil }
        XCTAssertEqual(trained.count, 34, "the head's 2 and layers 4 and 5's 16 parameters each: \(samples.keys.sorted())")
        // An attention key bias shifts every score of a query alike, which softmax ignores: its gradient is rounding
        // noise, which AdamW scales up to full-size steps, so it is left out.
        for (name, tensor) in trained where !name.hasSuffix("key.bias") {
            let values = try tensor.scalars(as: Float.self)
            let sampled = Swift.stride(from: 0, to: values.count, by: max(1, values.count / 4096)).map { values[$0] }
            XCTAssertNil(Closeness(atol: 2e-6).mismatch(sampled, try ReferenceJSON.floats(samples[name])), name)
        }
    }

    /// A folder standing for all-MiniLM-L6-v2 with dropout off (its files linked, `config.json` rewritten), so that both
    /// sides train deterministically whatever their random streams.
    static func miniLMWithoutDropout(in folder: URL) throws -> URL {
        let original = try PretrainedTextModel.folder(for: "minilm_l6")
        let manager = FileManager.default
        try manager.createDirectory(at: folder, withIntermediateDirectories: true)
        for name in try manager.contentsOfDirectory(atPath: original.path) where name != "config.json" {
            try manager.createSymbolicLink(at: folder.appendingPathComponent(name), withDestinationURL: original.appendingPathComponent(name))
        }
        let config = original.appendingPathComponent("config.json")
        guard var json = try JSONSerialization.jsonObject(with: Data(contentsOf: config)) as? [String: Any] else {
            throw RigError("\(config.path) is not a JSON object")
        }
        json["hidden_dropout_prob"] = 0.0
        json["attention_probs_dropout_prob"] = 0.0
        try JSONSerialization.data(withJSONObject: json).write(to: folder.appendingPathComponent("config.json"))
        return folder
    }
}
