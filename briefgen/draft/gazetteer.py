"""Bundled word lists: countries with demonyms, common organisations, role words.

Small on purpose: enough to recognise the actors of international news without a
model. Ids follow the registry convention (``uk``, ``germany``, ``european-union``).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Entry:
    """A known country or organisation: its id, display name, other names, demonyms."""

    id: str
    name: str
    kind: str
    aliases: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()


def _country(id_: str, name: str, aliases: str = "", demonyms: str = "") -> Entry:
    split = lambda s: tuple(x.strip() for x in s.split("|") if x.strip())
    return Entry(id_, name, "country", split(aliases), split(demonyms))


def _org(id_: str, name: str, aliases: str = "") -> Entry:
    return Entry(id_, name, "organisation", tuple(a for a in aliases.split("|") if a))


COUNTRIES = (
    _country("us", "United States", "US|U.S.|USA|U.S.A.|United States of America|America",
             "American"),
    _country("uk", "United Kingdom", "UK|U.K.|Britain|Great Britain", "British"),
    _country("russia", "Russia", "Russian Federation", "Russian"),
    _country("ukraine", "Ukraine", "", "Ukrainian"),
    _country("germany", "Germany", "", "German"),
    _country("france", "France", "", "French"),
    _country("italy", "Italy", "", "Italian"),
    _country("spain", "Spain", "", "Spanish"),
    _country("portugal", "Portugal", "", "Portuguese"),
    _country("poland", "Poland", "", "Polish"),
    _country("netherlands", "Netherlands", "Holland", "Dutch"),
    _country("belgium", "Belgium", "", "Belgian"),
    _country("sweden", "Sweden", "", "Swedish"),
    _country("norway", "Norway", "", "Norwegian"),
    _country("finland", "Finland", "", "Finnish"),
    _country("denmark", "Denmark", "", "Danish"),
    _country("ireland", "Ireland", "", "Irish"),
    _country("austria", "Austria", "", "Austrian"),
    _country("switzerland", "Switzerland", "", "Swiss"),
    _country("greece", "Greece", "", "Greek"),
    _country("turkey", "Turkey", "Türkiye", "Turkish"),
    _country("hungary", "Hungary", "", "Hungarian"),
    _country("romania", "Romania", "", "Romanian"),
    _country("czechia", "Czech Republic", "Czechia", "Czech"),
    _country("slovakia", "Slovakia", "", "Slovak"),
    _country("estonia", "Estonia", "", "Estonian"),
    _country("latvia", "Latvia", "", "Latvian"),
    _country("lithuania", "Lithuania", "", "Lithuanian"),
    _country("belarus", "Belarus", "", "Belarusian"),
    _country("moldova", "Moldova", "", "Moldovan"),
    _country("georgia", "Georgia", "", "Georgian"),
    _country("cyprus", "Cyprus", "", "Cypriot"),
    _country("china", "China", "People's Republic of China|PRC", "Chinese"),
    _country("japan", "Japan", "", "Japanese"),
    _country("india", "India", "", "Indian"),
    _country("pakistan", "Pakistan", "", "Pakistani"),
    _country("iran", "Iran", "", "Iranian"),
    _country("iraq", "Iraq", "", "Iraqi"),
    _country("israel", "Israel", "", "Israeli"),
    _country("syria", "Syria", "", "Syrian"),
    _country("egypt", "Egypt", "", "Egyptian"),
    _country("saudi-arabia", "Saudi Arabia", "", "Saudi"),
    _country("qatar", "Qatar", "", "Qatari"),
    _country("uae", "United Arab Emirates", "UAE", "Emirati"),
    _country("north-korea", "North Korea", "", "North Korean"),
    _country("south-korea", "South Korea", "", "South Korean"),
    _country("canada", "Canada", "", "Canadian"),
    _country("mexico", "Mexico", "", "Mexican"),
    _country("brazil", "Brazil", "", "Brazilian"),
    _country("argentina", "Argentina", "", "Argentine|Argentinian"),
    _country("chile", "Chile", "", "Chilean"),
    _country("australia", "Australia", "", "Australian"),
    _country("new-zealand", "New Zealand", "", ""),
    _country("south-africa", "South Africa", "", "South African"),
    _country("nigeria", "Nigeria", "", "Nigerian"),
    _country("kenya", "Kenya", "", "Kenyan"),
    _country("ethiopia", "Ethiopia", "", "Ethiopian"),
    _country("indonesia", "Indonesia", "", "Indonesian"),
    _country("vietnam", "Vietnam", "", "Vietnamese"),
    _country("taiwan", "Taiwan", "", "Taiwanese"),
    _country("afghanistan", "Afghanistan", "", "Afghan"),
    _country("venezuela", "Venezuela", "", "Venezuelan"),
    _country("kazakhstan", "Kazakhstan", "", "Kazakh"),
    _country("uzbekistan", "Uzbekistan", "", "Uzbek"),
    _country("armenia", "Armenia", "", "Armenian"),
    _country("azerbaijan", "Azerbaijan", "", "Azerbaijani"),
    _country("serbia", "Serbia", "", "Serbian"),
    _country("croatia", "Croatia", "", "Croatian"),
    _country("bulgaria", "Bulgaria", "", "Bulgarian"),
    _country("lebanon", "Lebanon", "", "Lebanese"),
    _country("jordan", "Jordan", "", "Jordanian"),
    _country("yemen", "Yemen", "", "Yemeni"),
    _country("sudan", "Sudan", "", "Sudanese"),
    _country("colombia", "Colombia", "", "Colombian"),
    _country("philippines", "Philippines", "the Philippines", "Filipino"),
    _country("thailand", "Thailand", "", "Thai"),
    _country("malaysia", "Malaysia", "", "Malaysian"),
    _country("bangladesh", "Bangladesh", "", ""),
    _country("england", "England", "", "English"),
    _country("scotland", "Scotland", "", "Scottish|Scots"),
    _country("wales", "Wales", "", "Welsh"),
    _country("northern-ireland", "Northern Ireland", "", ""),
)

ORGANISATIONS = (
    _org("kremlin", "the Kremlin", "Kremlin"),
    _org("white-house", "the White House", "White House"),
    _org("pentagon", "the Pentagon", "Pentagon"),
    _org("nato", "NATO", "North Atlantic Treaty Organization|North Atlantic Treaty Organisation"),
    _org("european-union", "European Union", "EU|E.U."),
    _org("european-commission", "European Commission", ""),
    _org("united-nations", "United Nations", "UN|U.N."),
    _org("un-security-council", "UN Security Council", "Security Council"),
    _org("imf", "International Monetary Fund", "IMF"),
    _org("world-bank", "World Bank", ""),
    _org("who", "World Health Organization", "WHO|World Health Organisation"),
    _org("wto", "World Trade Organization", "WTO"),
    _org("opec", "OPEC", ""),
    _org("g7", "G7", "Group of Seven"),
    _org("g20", "G20", "Group of 20"),
    _org("cia", "CIA", "Central Intelligence Agency"),
    _org("fbi", "FBI", "Federal Bureau of Investigation"),
    _org("ecb", "European Central Bank", "ECB"),
    _org("federal-reserve", "Federal Reserve", "the Fed"),
    _org("bank-of-england", "Bank of England", ""),
    _org("congress", "Congress", "US Congress"),
    _org("senate", "Senate", "US Senate"),
    _org("hamas", "Hamas", ""),
    _org("hezbollah", "Hezbollah", ""),
    _org("red-cross", "Red Cross", "International Committee of the Red Cross|ICRC"),
    _org("icc", "International Criminal Court", "ICC"),
    _org("unicef", "UNICEF", "United Nations Children's Fund"),
    _org("osce", "OSCE", "Organization for Security and Co-operation in Europe"),
    _org("african-union", "African Union", ""),
    _org("asean", "ASEAN", ""),
    _org("labour", "Labour", "Labour Party|the Labour Party"),
    _org("conservatives", "Conservative Party", "Conservatives|Conservative|Tory|Tories"),
    _org("liberal-democrats", "Liberal Democrats", "Lib Dems|Lib Dem|Liberal Democrat"),
    _org("snp", "SNP", "Scottish National Party"),
    _org("democrats", "Democratic Party", "Democrats"),
    _org("republicans", "Republican Party", "Republicans|GOP"),
    _org("downing-street", "Downing Street", "Number 10|No 10"),
    _org("bbc", "BBC", "British Broadcasting Corporation"),
    _org("bbc-news", "BBC News", ""),
    _org("bbc-sport", "BBC Sport", ""),
    _org("itv", "ITV", ""),
    _org("reuters", "Reuters", ""),
    _org("associated-press", "Associated Press", "AP"),
    _org("afp", "AFP", "Agence France-Presse"),
    _org("financial-times", "Financial Times", "FT"),
    _org("cnn", "CNN", ""),
    _org("mi5", "MI5", ""),
    _org("mi6", "MI6", ""),
    _org("interpol", "Interpol", ""),
    _org("al-qaeda", "al-Qaeda", "al Qaeda|al-Qaida"),
    _org("taliban", "Taliban", "the Taliban"),
    _org("parliament", "Parliament", "House of Commons|the Commons"),
    _org("house-of-lords", "House of Lords", "the Lords"),
)

# Head nouns that make a phrase a role ("Kremlin spokesman", "US Special Envoy").
TITLE_WORDS = frozenset(["president", "prime", "minister", "chancellor", "secretary", "envoy", "spokesman", "spokeswoman", "spokesperson", "ambassador", "director", "governor", "senator", "congressman", "congresswoman", "representative", "general", "commander", "chairman", "chairwoman", "chair", "chief", "ceo", "cfo", "founder", "head", "leader", "king", "queen", "prince", "pope", "mayor", "judge", "professor", "dr", "analyst", "economist", "lawyer", "officer", "official", "adviser", "advisor", "aide", "negotiator", "editor", "correspondent", "reporter", "executive", "premier", "foreign-minister", "minister", "deputy", "vice", "speaker", "admiral", "colonel", "captain", "sergeant", "commissioner", "diplomat", "manager", "researcher", "scientist", "spokesperson", "analyst", "mp", "chief-of-staff", "attorney", "prosecutor"])

# Words that may stand in a role before the head noun ("Special", "Defence", "former").
ROLE_MODIFIERS = frozenset(["special", "deputy", "vice", "foreign", "defence", "defense", "finance", "interior", "home", "health", "justice", "economy", "trade", "energy", "state", "national", "security", "former", "acting", "senior", "top", "new", "then", "prime", "executive", "general", "attorney", "chief", "federal", "regional", "local", "party", "press", "presidential", "military", "intelligence", "interim", "lead", "white", "house", "of", "the", "economic"])

# Speech verbs that attribute a quote or mark a person ("…, Peskov said").
SPEECH_VERBS = frozenset(["said", "says", "told", "tells", "added", "adds", "wrote", "writes", "argued", "argues", "warned", "warns", "stated", "claimed", "claims", "insisted", "insists", "noted", "notes", "asked", "asks", "urged", "urges", "replied", "announced", "announces", "suggested", "suggests"])

# Words that start sentences in capitals but are never names.
NOT_NAMES = frozenset(["a", "an", "the", "in", "on", "at", "of", "for", "to", "from", "by", "with", "as", "and", "but", "or", "nor", "so", "yet", "if", "then", "than", "this", "that", "these", "those", "there", "here", "it", "its", "it’s", "it's", "we", "our", "us", "they", "their", "he", "she", "his", "her", "i", "my", "you", "your", "moreover", "however", "meanwhile", "notably", "moving", "first", "second", "third", "finally", "lastly", "also", "still", "such", "while", "when", "where", "which", "who", "whom", "whose", "what", "why", "how", "after", "before", "since", "during", "amid", "amidst", "although", "though", "because", "despite", "once", "today", "yesterday", "tomorrow", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december", "mr", "mrs", "ms", "dr", "sir", "dame", "some", "many", "most", "all", "both", "each", "every", "no", "not", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "over", "under", "about", "into", "against", "between", "according", "speaking", "asked", "however", "instead", "overall", "indeed", "even", "just", "only", "yes", "breaking", "update", "updated", "read", "more", "western", "eastern", "northern", "southern", "european", "last", "next"])

# Places that are not actors (unless the registry says otherwise).
PLACES = frozenset(["europe", "asia", "africa", "america", "antarctica", "oceania", "brussels", "geneva", "istanbul", "riyadh", "jeddah", "paris", "rome", "madrid", "vienna", "warsaw", "prague", "budapest", "tokyo", "beijing", "delhi", "new-york", "los-angeles", "st-petersburg", "saint-petersburg", "abu-dhabi", "dubai", "doha", "cairo", "minsk", "kharkiv", "odesa", "donbas", "donetsk", "luhansk", "crimea", "kursk", "zaporizhzhia", "munich", "davos", "helsinki", "stockholm", "oslo", "copenhagen", "dublin", "edinburgh", "manchester", "california", "texas", "florida", "brussels", "gaza", "the-hague", "middle-east", "black-sea", "baltic"])

# Last words that make a capitalised run a place ("North Sea", "Red Square").
PLACE_WORDS = frozenset(["sea", "ocean", "river", "mountains", "mountain", "strait", "gulf", "bay", "island", "islands", "lake", "valley", "desert", "street", "square", "road", "avenue", "airport", "region", "province", "oblast", "county", "city", "port", "peninsula", "coast", "canal", "dam", "bridge", "tunnel", "stadium", "prison", "estate", "theatre", "theater", "hotel", "centre", "center", "museum", "gallery", "arena", "cathedral"])

# Words after which a capitalised run names an organisation, not a person.
ORG_WORDS = frozenset(["shipping", "coalition", "cinema", "ballet", "opera", "choir", "unit", "administration", "registries", "logistics", "airlines", "motors", "automotive", "aerospace", "bancorp", "gmbh", "ag", "llc", "llp", "nv", "spa", "oyj", "asa", "bv", "pty", "foods", "seafood", "processors", "distribution", "insurance", "exchange", "computers", "ventures", "media", "relations", "registry", "laboratories", "laboratory", "labs", "comics", "telecom", "telecoms", "online", "motors", "mills", "cement", "companies", "broadcasting", "broadcasts", "broadcast", "research", "athletics", "palace", "house", "board", "press", "radio", "tv", "television", "airline", "air", "force", "securities", "records", "studios", "pictures", "entertainment", "software", "communications", "electronics", "pharmaceuticals", "pharma", "oil", "petroleum", "gas", "power", "railways", "rail", "brewery", "assurance", "finance", "financial", "investments", "trust", "society", "international", "worldwide", "global", "united", "rovers", "wanderers", "albion", "hotspur", "rangers", "fc", "afc", "real", "bayern", "bayer", "werder", "psv", "borussia", "atletico", "sporting", "dynamo", "olympique", "inter", "arts", "stores", "supermarkets", "retail", "motor", "petrol", "steel", "mining", "chemicals", "semiconductor", "microsystems", "solutions", "consulting", "management", "advisers", "fund", "funds", "management", "trading", "enterprises", "brands", "agencies", "newspapers", "herald", "journal", "gazette", "tribune", "telegraph", "guardian", "mirror", "express", "observer", "standard", "letter", "jeeves", "ministry", "council", "bank", "agency", "group", "party", "union", "organization", "organisation", "commission", "court", "university", "company", "inc", "corp", "corporation", "ltd", "plc", "institute", "committee", "office", "department", "fund", "association", "forum", "parliament", "government", "army", "forces", "navy", "police", "news", "times", "post", "foundation", "authority", "service", "services", "network", "alliance", "federation", "league", "club", "hospital", "school", "college", "airlines", "airways", "holdings", "industries", "energy", "systems", "technologies", "partners", "capital", "products", "philharmonic", "orchestra", "films", "guild", "brothers", "productions"])

# Capitalised words of events, holidays and periods: a run holding one is no actor.
EVENT_WORDS = frozenset(["cup", "championships", "championship", "games", "olympics", "open", "prix", "marathon", "awards", "award", "festival", "show", "war", "day", "eve", "christmas", "easter", "year", "week", "season", "league", "series", "conference", "summit", "nations", "tour", "trophy", "oscars", "grammys", "baftas", "oscar", "grammy", "emmy", "emmys", "bafta", "expo", "fair", "act", "treaty", "agreement"])

# People nouns before a name that make it a person ("coach Bernard Laporte").
PERSON_NOUNS = frozenset(["coach", "manager", "captain", "winger", "flanker", "defender", "striker", "midfielder", "goalkeeper", "player", "champion", "vaulter", "sprinter", "athlete", "runner", "boxer", "referee", "actor", "actress", "singer", "guitarist", "drummer", "star", "director", "producer", "writer", "author", "novelist", "poet", "artist", "artists", "photographer", "photographers", "musician", "comedian", "presenter", "journalist", "counsel", "lawyer", "judge", "councillor", "councillors", "boss", "tycoon", "billionaire", "founder", "co-founder", "chairman", "economist", "analyst", "architect", "expert", "spokesman", "spokeswoman", "member", "leader", "colleague", "wife", "husband", "son", "daughter", "father", "mother", "brother", "sister", "mr", "mrs", "ms", "dr", "sir", "lord", "lady", "dame", "prince", "princess", "king", "queen", "uncle", "aunt", "guru", "fly-half", "centre", "prop", "hooker", "lock", "scrum-half", "full-back", "seed", "opponent", "rapper", "songwriter", "singer-songwriter", "composer", "pianist", "bassist", "dancer", "pundit"])

# Nouns before a name that make it an organisation ("firm Holcim", "net provider Pipex").
ORG_NOUNS = frozenset(["firm", "company", "group", "giant", "maker", "makers", "provider", "retailer", "carrier", "airline", "insurer", "brokers", "broker", "rival", "rivals", "owner", "operator", "supplier", "subsidiary", "publisher", "band", "club", "chain", "manufacturer", "bank", "lender", "broadcaster", "network", "agency", "carmaker", "developer", "start-up", "outfit", "label", "studio", "newspaper", "paper", "website", "marque", "brand", "distributor", "conglomerate", "regulator", "watchdog", "charity", "tracker", "insurer", "advisers", "consultancy"])

# Sentence openers that are never part of a name ("Often Pipex and…").
OPENER_WORDS = frozenset(["mps", "rival", "veteran", "embattled", "beleaguered", "troubled", "cabinet", "nazi", "nazis", "olympic", "internet", "web", "often", "sometimes", "now", "later", "already", "similarly", "surprisingly", "possibly", "previously", "currently", "recently", "typically", "ideally", "clearly", "together", "earlier", "interrupting", "asked", "established", "born", "playing", "upping", "go", "hijacked", "picture", "under", "across", "among", "others", "shares", "analysts", "investors", "police", "officials", "witnesses", "meanwhile", "elsewhere", "separately", "globally", "comedy", "novelist", "budget", "software", "pole", "groundbreaking", "consumer", "deregulation", "policy-makers", "users", "customers", "viewers", "sales", "judges", "members", "figures", "critics", "fans"])

# Capitalised abbreviations that are not organisations ("MP", "TV"): a lone acronym
# is otherwise an organisation even when named once ("CBI", "AOL").
NOT_ORG_ACRONYMS = frozenset(["mp", "mps", "mep", "meps", "msp", "msps", "qc", "tv", "pc", "pcs", "ceo", "cfo", "coo", "cto", "sms", "mms", "gmt", "bst", "est", "dvd", "dvds", "cd", "cds", "hiv", "aids", "sars", "ai", "it", "ok", "usb", "pda", "pdas", "mw", "gw", "kw", "tbc", "gdp", "gnp", "vat", "ipo", "id", "dj", "mc", "rnb", "pr", "hq", "mba", "phd", "ii", "iii", "iv", "vi", "us", "uk", "usa", "faq", "lcd", "gps", "gsm", "wifi", "dna", "ad", "bc", "am", "pm", "vip", "vips", "rpi", "cpi", "ppi", "ftse", "nasdaq", "i", "a"])

# Letters after a person's name that only a person has: silk and honours ("Nicholas
# Blake QC"). Not "MP" and the like, which follow parties and seats ("Labour MP").
POST_NOMINALS = frozenset(["QC", "KC", "OBE", "MBE", "CBE", "KBE", "DBE"])
# Post-nominals between a name and what follows it (a speech verb, an apposition).
POST_NOMINAL_TAIL = r"(?:\s+(?:" + "|".join(sorted(POST_NOMINALS)) + r"))*"
