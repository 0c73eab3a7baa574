/// The text architectures `graft train --model` knows: a name picks the text workflow (tokenizer, text data,
/// BERT encoder) instead of the image one.
public enum TextModels {
    /// `minilm_l6`: sentence-transformers all-MiniLM-L6-v2, installed offline by `make setup`; `bert`: any Hugging Face
    /// BERT checkpoint folder given as weights.
    public static let names = ["minilm_l6", "bert"]

    /// Whether `name` is a text architecture.
    public static func contains(_ name: String) -> Bool { names.contains(name) }
}
