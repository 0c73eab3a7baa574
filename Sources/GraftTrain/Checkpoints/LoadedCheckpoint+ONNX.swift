import Foundation
import GraftModels
import GraftONNX

extension LoadedCheckpoint {
    /// Writes the checkpoint's model as an ONNX file (see `ONNXExporter`): an image model with its class names and
    /// the preprocessing it was trained with (the pretrained config at the run's image size and normalisation), a text
    /// model with its class names, token limit and tokenizer files.
    public func exportONNX(to url: URL) throws {
        let model = try model()
        if let text = metadata.text, let textModel = model as? TextClassifier {
            try ONNXExporter.export(textModel, classNames: metadata.classes, maxLength: text.maxLength,
                                    tokenizerFiles: text.tokenizerFiles, to: url)
            return
        }
        guard let imageModel = model as? ImageClassifier else {
            throw TrainingError.invalidConfiguration("the checkpoint's model \(metadata.model) is neither an image nor a text classifier")
        }
        try ONNXExporter.export(imageModel, classNames: metadata.classes,
                                preprocessing: DataSpec.preprocessing(config: metadata.pretrainedConfig ?? imageModel.pretrainedConfig,
                                                                      settings: metadata.settings ?? FineTuneSettings()),
                                to: url)
    }
}
