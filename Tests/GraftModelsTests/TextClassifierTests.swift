import GraftModels
import GraftNN
import GraftTensor
import XCTest

/// The text classifier's structure (names, groups, head) and pooling semantics on a small random BERT.
final class TextClassifierTests: XCTestCase {
    func model(pooling: TextPooling = .mean, classes: Int = 3) throws -> TextClassifier {
        Engine.manualSeed(0)
        let configuration = try BertConfiguration(vocabSize: 40, hiddenSize: 16, numHiddenLayers: 3, numAttentionHeads: 2,
                                                  intermediateSize: 20, maxPositionEmbeddings: 16)
        return try TextClassifier(name: "tiny_bert", encoder: BertEncoder(configuration), pooling: pooling, numClasses: classes)
    }

    func rows(_ ids: [[Int64]], length: Int) throws -> Tensor {
        let padded = ids.flatMap { $0 + Array(repeating: 0, count: length - $0.count) }
        let mask = ids.flatMap { Array(repeating: Int64(1), count: $0.count) + Array(repeating: 0, count: length - $0.count) }
        let shape = [ids.count, length]
        return try TextClassifier.pack(ids: Tensor(padded, shape: shape), typeIds: Tensor.zeros(shape, dtype: .int64),
                                       mask: Tensor(mask, shape: shape))
    }

    func testStateDictHasHuggingFaceSequenceClassificationNames() throws {
        let names = try model().stateDict().map(\.0)
        XCTAssertEqual(names.first, "bert.embeddings.word_embeddings.weight")
        XCTAssertTrue(names.contains("bert.encoder.layer.2.attention.self.query.weight"))
        XCTAssertTrue(names.contains("bert.encoder.layer.0.attention.output.LayerNorm.bias"))
        XCTAssertTrue(names.contains("bert.encoder.layer.1.intermediate.dense.weight"))
        XCTAssertEqual(Array(names.suffix(2)), ["classifier.weight", "classifier.bias"])
        XCTAssertFalse(names.contains { $0.contains("pooler") })
    }

    func testLayerGroupsPartitionTheParameters() throws {
        let classifier = try model()
        XCTAssertEqual(classifier.layerGroups.map(\.name), ["embeddings", "layer0", "layer1", "layer2", "head"])
        for (name, _) in classifier.namedParameters() {
            XCTAssertEqual(classifier.layerGroups.filter { $0.contains(name) }.count, 1, name)
        }
    }

    func testReplaceHeadIsSeededAndKeepsTheEncoder() throws {
        let classifier = try model()
        let embedding = try classifier.encoder.embeddings.wordEmbeddings.weight.clone()
        Engine.manualSeed(42)
        try classifier.replaceHead(numClasses: 5)
        let first = try classifier.classifier.weight.clone()
        Engine.manualSeed(42)
        try classifier.replaceHead(numClasses: 5)
        XCTAssertEqual(classifier.classifier.weight.shape, [5, 16])
        XCTAssertEqual(try maxAbsDifference(classifier.classifier.weight, first), 0)
        XCTAssertLessThanOrEqual(try classifier.classifier.weight.abs().max().item(), 0.25, "PyTorch's bound 1/√16")
        XCTAssertEqual(try maxAbsDifference(classifier.encoder.embeddings.wordEmbeddings.weight, embedding), 0)
        XCTAssertThrowsError(try classifier.replaceHead(numClasses: 0))
    }

    func testPackedRowsRoundTrip() throws {
        let packed = try rows([[2, 7, 9, 3], [2, 5, 3]], length: 4)
        XCTAssertEqual(packed.shape, [2, 3, 4])
        let (ids, typeIds, mask) = try TextClassifier.unpack(packed)
        XCTAssertEqual(try ids.scalars(as: Int64.self), [2, 7, 9, 3, 2, 5, 3, 0])
        XCTAssertEqual(try typeIds.scalars(as: Int64.self), Array(repeating: 0, count: 8))
        XCTAssertEqual(try mask.scalars(as: Int64.self), [1, 1, 1, 1, 1, 1, 1, 0])
    }

    func testPaddingDoesNotChangeTheFeatures() throws {
        for pooling in TextPooling.allCases {
            let classifier = try model(pooling: pooling)
            classifier.eval()
            let alone = try withNoGrad { try classifier.features(rows([[2, 5, 3]], length: 3)) }
            let padded = try withNoGrad { try classifier.features(rows([[2, 7, 9, 8, 3], [2, 5, 3]], length: 7)) }
            XCTAssertLessThan(try maxAbsDifference(padded.select(dim: 0, index: 1), alone.select(dim: 0, index: 0)), 1e-5, "\(pooling)")
        }
    }

    func testPoolingPicksTheFirstTokenOrTheMaskedMean() throws {
        let hidden = try Tensor((0..<12).map(Float.init), shape: [2, 3, 2])
        let mask = try Tensor([Int64(1), 1, 0, 1, 1, 1], shape: [2, 3])
        XCTAssertEqual(try TextPooling.cls.pool(hidden, mask: mask).floats(), [0, 1, 6, 7])
        XCTAssertEqual(try TextPooling.mean.pool(hidden, mask: mask).floats(), [1, 2, 8, 9])
    }

    func testForwardGivesClassScoresAndDropoutOnlyWhileTraining() throws {
        let classifier = try model(classes: 4)
        let packed = try rows([[2, 7, 9, 3], [2, 5, 3]], length: 4)
        classifier.eval()
        let scores = try withNoGrad { try classifier(packed) }
        XCTAssertEqual(scores.shape, [2, 4])
        XCTAssertEqual(try maxAbsDifference(withNoGrad { try classifier(packed) }, scores), 0)
        XCTAssertEqual(try maxAbsDifference(withNoGrad { try classifier.classify(features: classifier.features(packed)) }, scores), 0)
        classifier.train()
        Engine.manualSeed(1)
        XCTAssertGreaterThan(try maxAbsDifference(withNoGrad { try classifier(packed) }, scores), 0, "dropout 0.1 is active in training")
        XCTAssertThrowsError(try TextClassifier(name: "x", encoder: BertEncoder(classifier.encoder.configuration, withPooler: true),
                                                pooling: .cls, numClasses: 2))
    }

    func testTrainingWithDropoutGivesEveryParameterAFiniteGradient() throws {
        let classifier = try model(classes: 2)
        classifier.train()
        let packed = try rows([[2, 7, 9, 3], [2, 5, 3]], length: 4)
        try classifier(packed).crossEntropy(targets: Tensor([Int64(0), 1])).backward()
        for (name, parameter) in classifier.namedParameters() {
            let grad = try XCTUnwrap(parameter.grad, "no gradient for \(name)")
            XCTAssertTrue(try grad.isFinite(), name)
        }
    }
}

/// The staged forward a trainer caches frozen stages with gives the plain forward's features and gradients.
final class TextClassifierStageTests: XCTestCase {
    func testStagesResumedFromACachedBoundaryMatchTheDirectForward() throws {
        Engine.manualSeed(0)
        let configuration = try BertConfiguration(vocabSize: 40, hiddenSize: 16, numHiddenLayers: 3, numAttentionHeads: 2,
                                                  intermediateSize: 20, maxPositionEmbeddings: 16, hiddenDropoutProb: 0,
                                                  attentionProbsDropoutProb: 0)
        let classifier = try TextClassifier(name: "tiny_bert", encoder: BertEncoder(configuration), pooling: .mean, numClasses: 2)
        let shape = [2, 5]
        let packed = try TextClassifier.pack(
            ids: Tensor([Int64(2), 7, 9, 8, 3, 2, 5, 3, 0, 0], shape: shape), typeIds: Tensor.zeros(shape, dtype: .int64),
            mask: Tensor([Int64(1), 1, 1, 1, 1, 1, 1, 1, 0, 0], shape: shape))
        XCTAssertEqual(classifier.stageCount, classifier.layerGroups.count - 1)
        classifier.eval()
        let direct = try withNoGrad { try classifier.features(packed) }
        for boundary in 0...classifier.stageCount {
            let cached = try withNoGrad { try classifier.stages(0..<boundary, packed) }
            let resumed = try withNoGrad { try classifier.pool(classifier.stages(boundary..<classifier.stageCount, cached)) }
            XCTAssertLessThan(try (resumed - direct).abs().max().item(), 1e-5, "boundary \(boundary)")
        }
        XCTAssertEqual(try withNoGrad { try classifier.stage(0, packed) }.shape, [2, 5, 17])
        XCTAssertThrowsError(try classifier.stage(4, packed))
        XCTAssertThrowsError(try classifier.pool(Tensor.zeros([2, 5, 16])))

        classifier.train()
        let targets = try Tensor([Int64(0), 1])
        try classifier(packed).crossEntropy(targets: targets).backward()
        let layer = try XCTUnwrap(classifier.encoder.layers[2].intermediate.dense.weight.grad).clone()
        for parameter in classifier.parameters() { try parameter.clearGrad() }
        let frozenPart = try withNoGrad { try classifier.stages(0..<2, packed) }
        try classifier.classify(features: classifier.pool(classifier.stages(2..<4, frozenPart))).crossEntropy(targets: targets).backward()
        let staged = try XCTUnwrap(classifier.encoder.layers[2].intermediate.dense.weight.grad)
        XCTAssertLessThan(try (staged - layer).abs().max().item() / max(try layer.abs().max().item(), 1e-12), 1e-5)
    }
}
