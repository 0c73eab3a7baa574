import Foundation
import GraftTensor

/// One machine-readable result: a JSON object on one line, with the same keys as the PyTorch twins print.
struct ResultLine {
    /// Case name, e.g. `step`.
    let benchmark: String
    /// Case parameters (model, image size, batch, …).
    var parameters: [String: Any]
    /// Each timed repetition.
    let runs: [Measurement.Run]
    /// Images processed in one repetition, for the images/s figure (nil: a case without images, no such figure).
    let imagesPerRepetition: Int?

    /// The JSON text, keys sorted so lines diff cleanly.
    func json() throws -> String {
        let median = Measurement.median(runs.map(\.wall))
        var object = parameters
        object["case"] = benchmark
        object["engine"] = "graft"
        object["threads"] = Engine.threads
        object["median_s"] = median
        object["seconds"] = runs.map(\.wall)
        object["cpu_s"] = Measurement.median(runs.map(\.cpu))
        if let imagesPerRepetition { object["images_per_s"] = median > 0 ? Double(imagesPerRepetition) / median : 0 }
        object["peak_rss_mib"] = Measurement.peakResidentMiB() ?? NSNull()
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    /// Prints the line on standard output.
    func print() throws {
        Swift.print(try json())
    }
}
