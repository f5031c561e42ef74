import Domain

/// Places, schools and names for synthetic Flanders. Invented: any likeness to a real school or
/// person is chance; all INSZ are MAGDA-style test numbers (months 60-72).
enum Gazetteer {
    struct Place {
        let postcode: String
        let municipality: String
    }

    static let places: [Province: [Place]] = [
        .antwerpen: [("2000", "Antwerpen"), ("2018", "Antwerpen"), ("2060", "Antwerpen"), ("2100", "Deurne"), ("2140", "Borgerhout"),
                     ("2180", "Ekeren"), ("2200", "Herentals"), ("2300", "Turnhout"), ("2400", "Mol"), ("2500", "Lier"),
                     ("2800", "Mechelen"), ("2900", "Schoten"), ("2610", "Wilrijk"), ("2640", "Mortsel")],
        .oostVlaanderen: [("9000", "Gent"), ("9040", "Sint-Amandsberg"), ("9100", "Sint-Niklaas"), ("9200", "Dendermonde"),
                          ("9300", "Aalst"), ("9400", "Ninove"), ("9500", "Geraardsbergen"), ("9600", "Ronse"),
                          ("9700", "Oudenaarde"), ("9800", "Deinze"), ("9900", "Eeklo")],
        .westVlaanderen: [("8000", "Brugge"), ("8200", "Sint-Andries"), ("8400", "Oostende"), ("8500", "Kortrijk"),
                          ("8700", "Tielt"), ("8800", "Roeselare"), ("8900", "Ieper"), ("8930", "Menen"), ("8620", "Nieuwpoort")],
        .limburg: [("3500", "Hasselt"), ("3530", "Houthalen-Helchteren"), ("3600", "Genk"), ("3700", "Tongeren"),
                   ("3800", "Sint-Truiden"), ("3900", "Pelt"), ("3580", "Beringen"), ("3630", "Maasmechelen")],
        .vlaamsBrabant: [("3000", "Leuven"), ("3001", "Heverlee"), ("3200", "Aarschot"), ("3300", "Tienen"),
                         ("1800", "Vilvoorde"), ("1500", "Halle"), ("1700", "Dilbeek"), ("1930", "Zaventem"), ("3070", "Kortenberg")],
    ].mapValues { $0.map { Place(postcode: $0.0, municipality: $0.1) } }

    static let brussels = [("1000", "Brussel"), ("1030", "Schaarbeek"), ("1080", "Sint-Jans-Molenbeek"), ("1070", "Anderlecht")]
        .map { Place(postcode: $0.0, municipality: $0.1) }
    static let wallonia = [("4000", "Liège"), ("1300", "Wavre"), ("7000", "Mons"), ("5000", "Namur")]
        .map { Place(postcode: $0.0, municipality: $0.1) }

    static let streets = ["Kerkstraat", "Stationsstraat", "Dorpsstraat", "Schoolstraat", "Molenstraat", "Nieuwstraat",
                          "Kapelstraat", "Beekstraat", "Veldstraat", "Lindenlaan", "Kastanjelaan", "Boomgaardstraat",
                          "Heirweg", "Steenweg", "Parklaan", "Wilgenstraat", "Hoogstraat", "Bosstraat"]

    static let firstNames: [INSZ.Sex: [String]] = [
        .female: ["Emma", "Louise", "Olivia", "Elena", "Noor", "Mila", "Lina", "Julie", "Marie", "Lotte", "Fien", "Yasmine",
                  "Sara", "Amira", "Zoë", "Hanne", "Lore", "Ines", "Nina", "Aya", "Laura", "Eline", "Febe", "Jana"],
        .male: ["Noah", "Liam", "Louis", "Lucas", "Arthur", "Jules", "Adam", "Finn", "Mohamed", "Lars", "Victor", "Matteo",
                "Wout", "Senne", "Milan", "Rayan", "Thibo", "Kobe", "Jasper", "Ibrahim", "Robbe", "Stef", "Tibo", "Youssef"],
    ]

    static let lastNames = ["Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens", "Wouters",
                            "De Smet", "Dubois", "Hermans", "Aerts", "Pauwels", "Van Damme", "Lambrechts", "De Clercq",
                            "Dumont", "Van den Broeck", "Vermeulen", "El Amrani", "Öztürk", "Kaya", "Nowak", "Bakker",
                            "De Wilde", "Vandenberghe", "Verbeke", "Desmet", "Coppens", "Van Hoof", "Michiels"]

    static let schoolPrefixes = ["GO! atheneum", "Sint-Jozefscollege", "Sint-Ursula-Instituut", "Technisch Instituut",
                                 "Koninklijk Atheneum", "Sint-Lievenscollege", "Vrij Technisch Instituut", "Heilig-Hartinstituut",
                                 "Provinciaal Instituut", "Stedelijk Lyceum", "Campus De Vesten", "Sint-Jan Berchmanscollege"]

    static let employers = (0..<400).map { index -> String in
        // Enterprise (KBO) numbers: 0, seven digits, and 97 minus the first eight digits modulo 97.
        let base = 4_000_000 + index * 12_347
        return "0" + String(base) + String(97 - base % 97).leftPadded(2)
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
