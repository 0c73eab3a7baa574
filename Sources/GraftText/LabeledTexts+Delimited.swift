import GraftData

extension LabeledTexts {
    /// Reads a CSV or TSV table whose first row names the columns.
    static func readDelimited(_ path: String, delimiter: Character, options: TextReadingOptions) throws -> LabeledTexts {
        let file = try TextFileLines(path: path)
        var rows = try DelimitedText.parse(file.joinedText, delimiter: delimiter, path: path)
        guard !rows.isEmpty else {
            throw DataError.invalidDataset(path: path, reason: "no header row (the first row must name the columns, e.g. `text,label`)")
        }
        let header = rows.removeFirst()
        if let problem = file.encodingProblem(onLines: header.line...header.lastLine) {
            throw DataError.invalidLabelFile(path: path, line: header.line, reason: "header: \(problem)")
        }
        func column(_ name: String, setting: String) throws -> Int {
            guard let index = header.fields.firstIndex(of: name) else {
                throw DataError.missingColumn(path: path, setting: setting, name: name, available: header.fields)
            }
            return index
        }
        let textIndex = try column(options.textColumn, setting: "textColumn")
        let labelIndex = try column(options.labelColumn, setting: "labelColumn")
        var collector = TextRowCollector(source: path, options: options)
        for row in rows {
            let origin = TextOrigin(file: path, line: row.line)
            if let problem = file.encodingProblem(onLines: row.line...row.lastLine) {
                try collector.reject(origin, reason: problem)
                continue
            }
            try collector.add(text: row.fields.indices.contains(textIndex) ? row.fields[textIndex] : nil,
                              label: row.fields.indices.contains(labelIndex) ? row.fields[labelIndex] : nil, from: origin)
        }
        return try collector.finish(labelSource: "the label column `\(options.labelColumn)`", emptyReason: "no texts (the file holds no rows below its header)")
    }
}
