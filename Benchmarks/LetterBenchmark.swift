import ArgumentParser
import Domain
import Foundation
import Letters
import Storage
import VangnetCLI
import Workflows

/// Outreach issue: "A batch of 10,000 letters (PDF + manifest) from the database: under 10 s and
/// under 300 MB peak on this machine, and the ratio to rendering the same letters as HTML with
/// headless Chromium's print-to-PDF (Debian's chromium) measured in the same run."
struct LetterBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "letters", abstract: "A batch of 10,000 letters from the database, and Chromium's print-to-PDF of the same letters.")

    @Option(help: "Letters in the batch.") var letters = 10_000
    @Option(help: "Letters Chromium prints (its time per letter is compared).") var chromiumLetters = 500

    func run() async throws {
        let folder = try freshFolder("letters")
        let context = try await demoContext(folder)
        try await fillLeavers(context, count: letters)

        var made: (LetterBatchWork.Summary, LetterBatchRecord?) = (.init(), nil)
        let memoryBefore = peakResidentMegabytes()
        let elapsed = try await seconds {
            made = try await context.letterBatchWork(today: LocalDate(year: 2026, month: 12, day: 1)!).make()
        }
        let peak = peakResidentMegabytes()
        guard let record = made.1 else { throw ValidationError("no batch was made") }
        let pdfPath = folder + "/batch.pdf"
        FileManager.default.createFile(atPath: pdfPath, contents: Data(record.pdf))
        print(String(format: "Vangnet: %d letters, %d pages, %.1f MB PDF in %.2f s (decided again, laid out, stored); peak memory %.0f MB (%.0f MB before)",
                     made.0.letters, made.0.pages, Double(record.pdf.count) / 1e6, elapsed, peak, memoryBefore))
        print(String(format: "Target: under 10 s → %.2f× the budget; under 300 MB → %.2f× the budget", elapsed / 10, peak / 300))

        // The same letters' text as HTML, printed by headless Chromium.
        guard let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first(where: FileManager.default.isExecutableFile) else {
            print("Chromium not installed (apt-get install chromium): no comparison")
            await context.close()
            return
        }
        let sample = record.items.prefix(chromiumLetters)
        var html = "<!DOCTYPE html><html><head><meta charset=utf-8><style>@page{size:A4;margin:0}body{font:11pt Helvetica,Arial,sans-serif}"
            + ".letter{page-break-after:always;padding:45mm 20mm 20mm 25mm}</style></head><body>"
        for item in sample {
            html += "<div class=letter><p>" + item.content.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: "\n", with: "</p><p>") + "</p></div>"
        }
        let htmlPath = folder + "/sample.html"
        try html.write(toFile: htmlPath, atomically: true, encoding: .utf8)
        let chromiumSeconds = try await seconds {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: chromium)
            process.arguments = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
                                 "--print-to-pdf=" + folder + "/chromium.pdf", "file://" + htmlPath]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
        }
        let perLetterVangnet = elapsed / Double(made.0.letters)
        let perLetterChromium = chromiumSeconds / Double(sample.count)
        print(String(format: "Chromium print-to-PDF: %d letters in %.2f s (%.1f ms per letter); Vangnet %.2f ms per letter → Chromium takes %.1f× as long",
                     sample.count, chromiumSeconds, perLetterChromium * 1000, perLetterVangnet * 1000, perLetterChromium / perLetterVangnet))
        await context.close()
    }
}

/// `count` eligible school leavers with an address in Flanders or Brussels, decided (cases opened) as of 29 November 2026.
func fillLeavers(_ context: AppContext, count letters: Int) async throws {
    print("Filling \(letters) eligible school leavers …")
    let writer = try await RecordWriter(store: context.store, channel: .file, name: "bench", format: "bench")
    var items: [IngestItem] = []
    for index in 0..<letters {
        let birth = LocalDate(year: 2006, month: 1, day: 1)!.adding(days: index % 360)
        let insz = INSZ.make(birthDate: birth, serial: 1 + (index / 360) * 2, monthOffset: 60)
        let enrolment = Enrolment(schoolNumber: "0\(1000 + index % 50)", schoolName: "Testschool \(index % 50)", programme: .fulltime,
                                  track: .bso, startDate: LocalDate(year: 2025, month: 9, day: 1)!,
                                  endDate: LocalDate(year: 2026, month: 6, day: 30)!, exitReason: .endOfSchoolYear)
        let postcode = ["2000", "9000", "8000", "3500", "3000", "1000"][index % 6]
        let person = PersonRecord(firstName: ["Chloé", "Noah", "Aïcha", "Lars", "Elif", "Jens"][index % 6], lastName: "Persoon\(index)",
                                  birthDate: birth, street: "Kerkstraat", houseNumber: String(1 + index % 200), postcode: postcode,
                                  municipality: "Gemeente", country: "BE")
        items.append(.record(SourceRecord(source: .agodi, recordID: "E\(index)", insz: insz, body: .enrolment(enrolment)), location: "bench"))
        items.append(.record(SourceRecord(source: .populationRegister, recordID: "P\(index)", insz: insz, body: .person(person)), location: "bench"))
        if items.count >= 4000 {
            try await writer.write(items)
            items.removeAll(keepingCapacity: true)
        }
    }
    try await writer.write(items)
    try await writer.finish()
    let opened = try await context.pipeline(today: LocalDate(year: 2026, month: 11, day: 29)!).run().casesOpened
    print("Cases opened: \(opened)")
}
