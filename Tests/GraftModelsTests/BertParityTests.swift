import GraftIO
import GraftModels
import GraftNN
import GraftTensor
import GraftTestSupport
import XCTest

/// Graft's BERT encoder against Hugging Face `transformers` 4.30.2 `BertModel` on the same weights and token rows:
/// last hidden states within 1e-4 max abs over every real token (Graft runs its layers on real tokens only and leaves
/// padded positions zero, which is checked too), mean-pooled embeddings within 1e-5 of cosine 1, and train-mode gradients (dropout 0) of
/// every encoder parameter within 1e-4 of that parameter's largest reference gradient element (see `gradientErrors`).
final class BertParityTests: XCTestCase {
    /// all-MiniLM-L6-v2 with its real weights, dropout optionally switched off.
    func miniLM(dropout: Bool) throws -> BertEncoder {
        let folder = try BertFixtures.miniLMFolder()
        var configuration = try BertConfiguration(contentsOf: folder.appendingPathComponent("config.json"))
        if !dropout {
            configuration.hiddenDropoutProb = 0
            configuration.attentionProbsDropoutProb = 0
        }
        let encoder = try BertEncoder(configuration)
        let report = try encoder.load(pretrained: CheckpointReader.read(contentsOf: folder.appendingPathComponent("model.safetensors")).tensors())
        XCTAssertEqual(report.loaded, encoder.stateDict().count)
        return encoder
    }

    func packedRows(_ reference: [String: Tensor]) throws -> Tensor {
        try TextClassifier.pack(ids: XCTUnwrap(reference["ids"]), typeIds: XCTUnwrap(reference["type_ids"]), mask: XCTUnwrap(reference["mask"]))
    }

    func testMiniLMHiddenStatesAndSentenceEmbeddings() throws {
        let reference = try BertFixtures.tensors("minilm_io.pth")
        let packed = try packedRows(reference)
        let mask = try XCTUnwrap(reference["mask"])
        XCTAssertEqual(try mask.min().item(), 0, "the texts must differ in length so that rows are padded")
        let classifier = try TextClassifier(name: "minilm_l6", encoder: miniLM(dropout: true), pooling: .mean, numClasses: 3)
        classifier.eval()

        let hidden = try withNoGrad { try classifier.encoder(packed) }
        let hiddenError = try realTokenError(hidden, XCTUnwrap(reference["hidden"]), mask: mask)
        XCTAssertLessThan(hiddenError, 1e-4, "last hidden states")

        let embeddings = try withNoGrad { try classifier.sentenceEmbedding(packed) }
        let expected = try XCTUnwrap(reference["mean"])
        let cosines = try (embeddings * expected).sum(dims: [1]) / (embeddings.square().sum(dims: [1]).sqrt() * expected.square().sum(dims: [1]).sqrt())
        let worstCosine = try cosines.min().item()
        XCTAssertGreaterThan(worstCosine, 1 - 1e-5, "mean-pooled sentence embeddings")
        let unit = try withNoGrad { try classifier.sentenceEmbedding(packed, normalized: true) }
        XCTAssertLessThan(try maxAbsDifference(unit.square().sum(dims: [1]), Tensor.ones([4])), 1e-5)
        print("parity all-MiniLM-L6-v2: hidden states max abs error \(hiddenError), embeddings worst cosine \(worstCosine), max abs error \(try maxAbsDifference(embeddings, expected))")
    }

    func testMiniLMTrainModeGradients() throws {
        let reference = try BertFixtures.tensors("minilm_io.pth")
        let encoder = try miniLM(dropout: false)
        encoder.train()
        let mask = try XCTUnwrap(reference["mask"])
        // On libtorch's BLAS `linear`, as the reference ran: the key biases' zero gradients are pure rounding noise,
        // which oneDNN's summation order changes (`OneDNNLinearTests` checks its gradients against BLAS's directly).
        try Engine.withOneDNNLinear(false) {
            let pooled = try TextPooling.mean.pool(encoder(packedRows(reference)), mask: mask)
            let loss = try pooled.matmul(XCTUnwrap(reference["head"]).transpose(0, 1)).crossEntropy(targets: XCTUnwrap(reference["targets"]))
            XCTAssertEqual(try loss.item(), try XCTUnwrap(reference["loss"]).item(), accuracy: 1e-5)
            try loss.backward()
        }
        let worst = try gradientErrors(encoder, reference)
        XCTAssertLessThan(worst.error, 1e-4, "d/d\(worst.name)")
        print("parity all-MiniLM-L6-v2 gradients: worst relative gradient error \(worst.error) (\(worst.name.isEmpty ? "every gradient equal" : worst.name))")
    }

    func testRandomBertFromPrefixedCheckpoint() throws {
        let folder = try BertFixtures.file("random_bert")
        let reference = try BertFixtures.tensors("random_bert/io.pth")
        let encoder = try BertEncoder(BertConfiguration(contentsOf: folder.appendingPathComponent("config.json")), withPooler: true)
        let checkpoint = try CheckpointReader.read(contentsOf: folder.appendingPathComponent("pytorch_model.bin")).tensors()
        XCTAssertTrue(checkpoint.contains { $0.0 == "bert.embeddings.position_ids" } && checkpoint.contains { $0.0 == "classifier.weight" })
        let report = try encoder.load(pretrained: checkpoint)
        XCTAssertEqual(report.loaded, encoder.stateDict().count)
        let referenceNames = Set(reference.keys.filter { $0.hasPrefix("grad.") }.map { String($0.dropFirst(5)) })
        XCTAssertEqual(Set(encoder.namedParameters().map(\.0)), referenceNames, "Hugging Face parameter names")

        let (ids, typeIds, mask) = try (XCTUnwrap(reference["ids"]), XCTUnwrap(reference["type_ids"]), XCTUnwrap(reference["mask"]))
        let pooler = try XCTUnwrap(encoder.pooler)
        encoder.eval()
        let hidden = try withNoGrad { try encoder.forward(ids: ids, typeIds: typeIds, mask: mask) }
        XCTAssertLessThan(try realTokenError(hidden, XCTUnwrap(reference["hidden"]), mask: mask), 1e-4, "last hidden states")
        XCTAssertLessThan(try maxAbsDifference(withNoGrad { try pooler(hidden) }, XCTUnwrap(reference["pooled"])), 1e-4, "pooler output")

        encoder.train()
        let trainHidden = try encoder.forward(ids: ids, typeIds: typeIds, mask: mask)
        let loss = try (trainHidden * XCTUnwrap(reference["weights"])).sum() + pooler(trainHidden).square().sum()
        XCTAssertEqual(try loss.item(), try XCTUnwrap(reference["loss"]).item(), accuracy: 1e-3)
        try loss.backward()
        let worst = try gradientErrors(encoder, reference)
        XCTAssertLessThan(worst.error, 1e-4, "d/d\(worst.name)")
        print("parity random BERT: hidden max abs error \(try realTokenError(hidden, XCTUnwrap(reference["hidden"]), mask: mask)), worst relative gradient error \(worst.error) (\(worst.name.isEmpty ? "every gradient equal" : worst.name))")
    }

    /// The largest |hidden − reference| over real tokens (mask 1); infinite unless every padded position of `hidden`
    /// is exactly zero.
    func realTokenError(_ hidden: Tensor, _ reference: Tensor, mask: Tensor) throws -> Double {
        let keep = try mask.to(.float32).unsqueeze(dim: 2)
        let padded = try (hidden * (keep - 1)).abs().max().item()
        guard padded == 0 else { return .infinity }
        return try maxAbsDifference(hidden * keep, reference * keep)
    }

    /// The largest, over parameters, of max |grad − reference| / scale (a missing gradient counts as ∞, NaN as ∞),
    /// where scale is the parameter's largest reference element, or 1e-4 of the largest reference element of all when
    /// that is larger: the attention key biases' exact gradient is zero (the softmax ignores a shift shared by all
    /// keys), so their references are rounding noise (~1e-9) that no other summation order reproduces.
    func gradientErrors(_ encoder: BertEncoder, _ reference: [String: Tensor]) throws -> (name: String, error: Double) {
        let overall = try reference.filter { $0.key.hasPrefix("grad.") }.values.map { try $0.abs().max().item() }.max() ?? 0
        var worst = (name: "", error: 0.0)
        for (name, parameter) in encoder.namedParameters() {
            let expected = try XCTUnwrap(reference["grad." + name], "no reference gradient for \(name)")
            var error = Double.infinity
            if let grad = parameter.grad {
                error = try maxAbsDifference(grad, expected) / max(try expected.abs().max().item(), 1e-4 * overall, 1e-12)
            }
            if error.isNaN || error > worst.error { worst = (name, error.isNaN ? .infinity : error) }
        }
        return worst
    }
}
