import GraftTensor

/// Packs encodings into the [N, 3, L] int64 rows a BERT-family model reads: ids, token type ids and the attention
/// mask (1 on tokens, 0 on padding), L the longest encoding, shorter ones padded with `padId`.
public enum TokenRows {
    /// The packed values, row-major, and L.
    public static func pack(_ encodings: [TokenizedText], padId: Int32) -> (values: [Int64], length: Int) {
        let length = encodings.map(\.count).max() ?? 0
        var values = [Int64](repeating: 0, count: encodings.count * 3 * length)
        for (row, encoding) in encodings.enumerated() {
            let ids = row * 3 * length, types = ids + length, mask = types + length
            for position in 0..<length {
                let isToken = position < encoding.count
                values[ids + position] = Int64(isToken ? encoding.ids[position] : padId)
                values[types + position] = isToken ? Int64(encoding.typeIds[position]) : 0
                values[mask + position] = isToken ? 1 : 0
            }
        }
        return (values, length)
    }

    /// The packed rows as an int64 tensor [N, 3, L] on `device`.
    public static func tensor(_ encodings: [TokenizedText], padId: Int32, on device: Device = .cpu) throws -> Tensor {
        let (values, length) = pack(encodings, padId: padId)
        let rows = try Tensor(values, shape: [encodings.count, 3, length])
        return device == .cpu ? rows : try rows.to(device: device)
    }
}
