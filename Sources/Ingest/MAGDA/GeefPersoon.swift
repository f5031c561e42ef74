import Domain
import SWXMLHash

/// Persoon.GeefPersoon 02.02: the national register's current state of one person.
extension Context {
    func person(_ element: XMLIndexer, number: Int) -> IngestItem {
        let location = "Persoon \(number)"
        func fail(_ reason: QuarantineReason, _ field: String, _ message: String, recordID: String? = nil) -> IngestItem {
            reject(reason, field, "\(field): \(message)", element, location: location, recordID: recordID)
        }
        let insz: INSZ
        do { insz = try self.insz(element["INSZ"].trimmedText) } catch {
            return fail(error.reason, "insz", String(error.message.dropFirst("insz: ".count)))
        }
        // The register's snapshot has no id of its own: one record per person, versioned by time.
        let recordID = "rr:" + reader.personKey(insz)
        let name = element["Naam"].all.last ?? element["Naam"]
        let firstNames = name["Voornamen"]["Voornaam"].all.compactMap(\.trimmedText)
        let lastNames = name["Achternamen"]["Achternaam"].all.compactMap(\.trimmedText)
        guard !lastNames.isEmpty else { return fail(.missingField, "last_name", "no Achternaam", recordID: recordID) }
        let sex: INSZ.Sex? = switch element["Geslacht"]["Code"].trimmedText {
        case "1": .male
        case "2": .female
        default: nil
        }
        // Status 992 / 99992: deregistered to abroad; 99990: deceased.
        var emigration: LocalDate?
        var death = MAGDADate.parse(element["Overlijden"]["Datum"].trimmedText)
        var validFrom: LocalDate?
        for status in element["Statussen"]["Status"].all {
            let since = MAGDADate.parse(status.element?.attribute(by: "DatumBegin")?.text)
            switch status["Code"].trimmedText {
            case "992", "99992": emigration = since ?? emigration
            case "99990": death = death ?? since
            default: break
            }
            if let since { validFrom = max(validFrom ?? since, since) }
        }
        let home = element["Adressen"]["Hoofdverblijfplaats"].all.last
        let abroad = element["Adressen"]["VerblijfplaatsBuitenland"].all.last
        let homeSince = MAGDADate.parse(home?.element?.attribute(by: "DatumBegin")?.text)
        let abroadSince = MAGDADate.parse(abroad?.element?.attribute(by: "DatumBegin")?.text)
        var record = PersonRecord(firstName: firstNames.joined(separator: " "), lastName: lastNames.joined(separator: " "),
                                  birthDate: MAGDADate.parse(element["Geboorte"]["Datum"].trimmedText), sex: sex,
                                  emigrationDate: emigration, deathDate: death)
        let livesAbroad = abroad != nil && (home == nil || (abroadSince ?? .init(ordinal: 0)) >= (homeSince ?? .init(ordinal: 0)))
        if livesAbroad, let abroad {
            record.country = abroad["Land"]["ISOCode"].trimmedText ?? "??"
            record.street = abroad["Teksten"]["Tekst"].all.compactMap(\.trimmedText).joined(separator: ", ")
            validFrom = [validFrom, abroadSince].compactMap { $0 }.max()
        } else if let home {
            record.street = home["Straatnaam"]["String"].trimmedText ?? home["NietGestandaardiseerdeStraatnaam"]["String"].trimmedText
            record.houseNumber = home["Huisnummer"].trimmedText
            record.box = home["Busnummer"].trimmedText
            record.postcode = home["Postcode"].trimmedText
            record.municipality = home["Gemeentenaam"]["String"].trimmedText
                ?? home["NietGestandaardiseerdeGemeentenaam"]["String"].trimmedText
            record.country = home["ISOCodeLand"].trimmedText ?? "BE"
            validFrom = [validFrom, homeSince].compactMap { $0 }.max()
        }
        if let postcode = record.postcode, record.livesInBelgium,
           postcode.count != 4 || !postcode.allSatisfy(\.isASCIIDigit) {
            return fail(.invalidValue, "postcode", "a Belgian postcode has 4 digits", recordID: recordID)
        }
        record.validFrom = validFrom
        let modified = MAGDADate.parse(element.element?.attribute(by: "DatumModificatie")?.text)
        let recordedAt = respondedAt ?? modified?.iso
        return .record(SourceRecord(source: .populationRegister, recordID: recordID, insz: insz, recordedAt: recordedAt,
                                    body: .person(record)), location: location)
    }
}
