"""German lure lexicon (inflected adjective endings and compounds are optional parts)."""

from __future__ import annotations

from lurewatch.signals.lexicons import Term
from lurewatch.signals.lexicons.shared import RISK_PLACES

_ADJ = r"(?:e|en|er|es|em)?"  # adjective endings

TERMS: tuple[Term, ...] = (
    # --- Geld
    Term(
        "lure.paid_collaboration",
        rf"\b(?:bezahlt|vergütet|honoriert|entlohnt){_ADJ}\s+(?:\w+\s+)?(?:Zusammenarbeit|Tätigkeit|Mitarbeit|Beratung"
        rf"|Projekt\w*|Auftr(?:a|ä)g\w*|Kooperation|Studie\w*|Nebentätigkeit)\b",
        0.65,
    ),
    Term(
        "lure.paid_collaboration",
        rf"\b(?:großzügig|grosszügig|sehr gut|überdurchschnittlich|attraktiv|lukrativ){_ADJ}\s+(?:vergütet|bezahlt|honoriert"
        r"|entlohnt|Vergütung|Bezahlung|Honorar\w*|Entlohnung|Aufwandsentschädigung|Entschädigung)\b",
        0.8,
        "The message promises generous pay, a classic hook of recruitment approaches.",
    ),
    Term("lure.paid_collaboration", r"\b\w*[Hh]onorar(?:e|s|en)?\b", 0.5),
    Term(
        "lure.paid_collaboration",
        r"\b(?:pro|je|für jeden|für jede)\s+(?:kurzen?\s+)?(?:Bericht|Artikel|Analyse|Studie|Gutachten|Beitrag|Einschätzung"
        r"|Dossier|Beratungsstunde|Gespräch)\b",
        0.65,
        "Payment is offered per report, paper or consultation, the pattern of paid 'analysis' tasking.",
    ),
    Term(
        "lure.paid_collaboration",
        r"\b(?:Nebenverdienst|Nebeneinkommen|Zusatzeinkommen|zusätzliche[ns]? Einkommen)\b",
        0.55,
    ),
    Term(
        "lure.paid_collaboration",
        r"\b(?:wir|unser Kunde|unsere Kunden)\s+(?:zahlen|bezahlen|vergüten|honorieren|entlohnen)\s+(?:Ihnen|Sie|Ihre)\b",
        0.6,
    ),
    Term(
        "lure.paid_collaboration",
        r"\b(?:Vergütung|vergütet|Aufwandsentschädigung|Entlohnung)\b",
        0.3,
    ),
    Term(
        "lure.paid_easy_money",
        r"\b(?:verdienen Sie|verdiene)\s+(?:bis zu\s+)?\d[^\n]{0,25}?\b(?:pro|am|die|je)\s+(?:Tag|Woche|Stunde|Monat)\b"
        r"|\b(?:ohne Vorkenntnisse|ohne Erfahrung|keine Vorkenntnisse (?:nötig|notwendig|erforderlich)|bequem von zu Hause"
        r"|von zu Hause aus arbeiten)\b",
        0.5,
        "Easy earnings or work from home without experience are promised, typical of job scams.",
    ),
    Term(
        "lure.paid_upfront",
        r"\b(?:Anmeldegebühr|Bearbeitungsgebühr|Vermittlungsgebühr|Schulungsgebühr)\w*\b"
        r"|\b(?:Ihre|deine)\s+(?:Bankverbindung|Kontodaten|IBAN|Kreditkarten\w*)\b",
        0.65,
        "The contact asks for money or bank details up front, typical of job and advance-fee scams.",
    ),
    # --- Reise
    Term(
        "lure.travel_expenses",
        r"\balle\s+(?:anfallenden\s+)?(?:Kosten|Spesen|Ausgaben)\s+(?:werden\s+)?(?:\w+\s+)?(?:übernommen|bezahlt|erstattet|getragen)\b",
        0.75,
    ),
    Term(
        "lure.travel_expenses",
        r"\b(?:Reise|Flug|Flüge|Hotel|Übernachtung|Unterkunft|Anreise|Spesen|Aufenthalt)\w*\s+(?:[\w-]+\s+){0,4}?"
        r"(?:übernommen|bezahlt|erstattet|getragen|gestellt|übernehmen wir|zahlen wir|erstatten wir|tragen wir)\b",
        0.6,
    ),
    Term(
        "lure.travel_expenses",
        r"\b(?:übernehmen|zahlen|erstatten|tragen|bezahlen)\s+(?:wir|unser Kunde|der Kunde|unsere Partner|die Veranstalter)"
        r"\s+(?:[\w-]+\s+){0,2}?(?:die\s+|Ihre\s+|sämtliche\s+)?(?:Reise|Flug|Hotel|Kosten|Spesen|Unterkunft)\w*",
        0.6,
    ),
    Term(
        "lure.travel_expenses",
        r"\b(?:Kostenübernahme|kostenlose[n]? Reise|Gratisreise|Reise auf unsere Kosten)\b",
        0.6,
    ),
    Term(
        "lure.travel_abroad",
        rf"\b(?:Reise|Besuch|Seminar|Konferenz|Tagung|Treffen|Kundentermin|Workshop|Vertragsverhandlung|Forum|Austausch)\w*"
        rf"\s+(?:[\w-]+\s+){{0,2}}?(?:in|nach)\s+(?:{RISK_PLACES})\b"
        rf"|\b(?:in|nach)\s+(?:{RISK_PLACES})\s+(?:[\w-]+\s+){{0,2}}?(?:treffen|reisen|einladen|besuchen|fliegen|kommen)\b",
        0.6,
        "The message proposes a trip or meeting in a country where a hosted visit puts the guest under a foreign service's control.",
    ),
    Term(
        "lure.travel_abroad",
        r"\b(?:Reise|Treffen|Seminar|Besuch|Konferenz)\w*\b[^.\n]{0,40}?\b(?:im|ins) Ausland\b",
        0.45,
    ),
    Term(
        "lure.travel_abroad",
        r"\b(?:Kundentermin|Treffen mit (?:dem|unserem|meinem) Kunden)\b",
        0.4,
        "A meeting with an unnamed client is proposed, a step used to bring targets to a handler.",
    ),
    # --- außerhalb der Plattform
    Term(
        "lure.offplatform_request",
        r"\b(?:Ihre|Ihrer|deine|deiner)\s+(?:private[n]?\s+|persönliche[n]?\s+|direkte[n]?\s+)?(?:Telefonnummer|Handynummer"
        r"|Mobilnummer|Rufnummer|Nummer|E-?Mail-Adresse|Mailadresse|Privatadresse)\b",
        0.45,
        "The contact asks for a phone number or a personal e-mail address, to move off the platform.",
    ),
    Term(
        "lure.offplatform_request",
        r"\b(?:weiter|fortsetzen|schreiben|kontaktieren|austauschen|sprechen|melden|erreichen|hinzufügen)\b[^.\n]{0,30}?"
        r"\b(?:über|per|via|auf|bei)\s+(?:whats\s?app|telegram|we\s?chat|signal|viber|skype)\b",
        0.7,
        "The contact asks to continue the conversation on another channel, away from the platform's protections.",
    ),
    # --- Aufträge
    Term(
        "lure.tasking_report",
        r"\b(?:Berichte?|Analysen?|Einschätzungen?|Studien?|Gutachten|Artikel|Beiträge?|Dossiers?|Papiere?|Expertisen?"
        r"|Lageberichte?)\s+(?:[\w-]+\s+){0,4}?(?:zu\s+)?(?:schreiben|verfassen|erstellen|liefern|anfertigen|ausarbeiten"
        r"|schreiben würden|verfassen könnten)\b",
        0.45,
    ),
    Term(
        "lure.tasking_report",
        r"\b(?:Einblick|Einschätzung|Informationen|Wissen|Sicht|Perspektive|Meinung|Analyse)\w*\s+(?:[\w-]+\s+){0,3}?"
        r"(?:in|zu|über|zur|zum|in die|in den)\s+(?:[\w-]+\s+){0,3}?(?:\w*[Pp]olitik\w*|politisch\w*|Regierung\w*"
        r"|Ministeri\w*|Verteidigung\w*|Sicherheit\w*|intern\w*|strategisch\w*|Entscheidung\w*|Verhandlung\w*|Bundes\w+)\b",
        0.6,
        "The contact wants insight into policy, government or security matters, the subject of intelligence tasking.",
    ),
    Term(
        "lure.tasking_report",
        r"\b(?:nicht[- ]?öffentlich|vertraulich|intern|geheim|sensibl|unveröffentlicht|exklusiv)\w*\s+(?:[\w-]+\s+)?"
        r"(?:Informationen|Einblicke?|Dokumente|Unterlagen|Details|Sicht|Vorgänge|Entwicklungen|Perspektiven?|Wissen"
        r"|Kenntnisse|Daten)\b",
        0.85,
        "The contact asks for non-public, internal or confidential information.",
    ),
    Term(
        "lure.tasking_report",
        r"\bpolitische[n]? (?:Entwicklungen|Entscheidungsprozesse|Hintergründe)\b",
        0.5,
    ),
    Term(
        "lure.tasking_report",
        r"\bkurze[nrs]?\s+(?:Berichte?|Analysen?|Studien?|Einschätzungen?|Beiträge?|Dossiers?|Artikel|Expertisen?)\b",
        0.55,
    ),
    Term(
        "lure.tasking_report",
        r"\b(?:Informationen|Unterlagen|Dokumente|Hinweise|Erkenntnisse)\s+(?:[\w-]+\s+){0,3}?(?:liefern|weitergeben"
        r"|bereitstellen|zukommen lassen|übermitteln|zur Verfügung stellen)\b",
        0.55,
        "The contact asks you to pass on information, the core of intelligence tasking.",
    ),
    Term(
        "lure.tasking_access",
        r"\b(?:Sicherheitsüberprüfung|Sicherheitsfreigabe|VS-Ermächtigung)\b|\b(?:Ihre|deine)\s+(?:Position|Stelle|Kontakte"
        r"|Tätigkeit|Funktion)\s+(?:im|in der|beim|bei der)\s+(?:Ministerium|Bundestag|Regierung|Behörde|Verwaltung"
        r"|Bundeswehr|Botschaft|Bundesamt)",
        0.5,
        "The message is interested in the target's government position, contacts or security clearance.",
    ),
    Term(
        "lure.tasking_report",
        r"\b(?:Ihre|deine)\s+(?:Einschätzung|Sicht|Meinung|Perspektive|Einblicke|Expertise)\s+(?:zu|zur|zum|über|auf)\b",
        0.35,
        "The contact asks for your views, which paid 'consulting' approaches turn into tasking.",
    ),
    # --- Tarnidentität
    Term(
        "lure.cover_persona",
        r"\b(?:Personalberater|Personalvermittler|Talentscout)(?:in|innen)?\b",
        0.3,
    ),
    Term("lure.cover_persona", r"\b(?:Denkfabrik|Thinktank)\w*\b", 0.6),
    Term(
        "lure.cover_persona",
        r"\b(?:Berater(?:in)?|Beratungs(?:firma|unternehmen|gesellschaft)|Unternehmensberatung)\b",
        0.3,
    ),
    Term(
        "lure.cover_persona",
        r"\b(?:Institut|Zentrum|Akademie|Stiftung|Gesellschaft)\s+für\s+(?:[\w-]+\s+){0,2}?(?:internationale|strategische"
        r"|globale|politische|auswärtige)\w*\s+(?:[\w-]+\s+)?(?:Studien|Beziehungen|Politik|Angelegenheiten|Forschung"
        r"|Zusammenarbeit|Entwicklung)\b",
        0.45,
        "The sender presents as a policy institute or research centre, a cover used in published cases.",
    ),
    # --- Vagheit
    Term(
        "lure.vague_client",
        r"\b(?:ein|eine|einen|einem|unser|unsere|unserem|unseren|mein|meine|meinem|meinen)\s+(?:[\w-]+\s+){0,2}?"
        r"(?:Kunde|Kunden|Kundin|Mandant|Mandanten|Partner|Auftraggeber)\b",
        0.3,
        "The message speaks of an unnamed client or partner, without company facts to verify.",
    ),
    Term(
        "lure.vague_client",
        r"\b(?:asiatisch|chinesisch|ausländisch|internationa)\w*\s+(?:Kunde|Kunden|Partner|Auftraggeber|Unternehmen"
        r"|Investor|Investoren|Firma)\b",
        0.5,
        "The client or partner is described only by region, not by a name you could verify.",
    ),
    Term(
        "lure.vague_client",
        r"\b(?:namentlich nicht|noch nicht|nicht)\s+(?:nennen|offenlegen|preisgeben|verraten)\b",
        0.55,
        "The sender says they cannot disclose who the client is.",
    ),
    Term(
        "lure.vague_client",
        r"\b(?:ein|eine|einem|einer)\s+(?:renommiert|namhaft|führend|bekannt|groß|einflussreich)\w*\s+(?:[\w-]+\s+)?"
        r"(?:Unternehmen|Firma|Konzern|Institut|Organisation|Kunden|Beratung)\b",
        0.35,
    ),
    # --- Schmeichelei
    Term(
        "lure.flattery",
        r"\b(?:beeindruckt|begeistert|fasziniert)\s+(?:von|über)\s+(?:Ihr|Ihrem|Ihrer|Ihren|dein|deinem|deiner|deinen)\b",
        0.5,
    ),
    Term(
        "lure.flattery",
        r"\b(?:Ihr|Ihre|Ihren|Ihrem|Ihrer|dein|deine|deinen)\s+(?:beeindruckend|hervorragend|außergewöhnlich|umfangreich"
        r"|exzellent|bemerkenswert|herausragend)\w*\s+(?:Profil|Werdegang|Erfahrung|Expertise|Lebenslauf|Karriere"
        r"|Fachwissen|Kenntnisse)\b",
        0.45,
    ),
    Term(
        "lure.flattery",
        r"\b(?:Experten|Expertinnen|jemand|Menschen|Fachleute)\s+wie\s+(?:Sie|dich|du)\b",
        0.45,
    ),
    # --- Dringlichkeit
    Term(
        "lure.urgency",
        r"\b(?:dringend|umgehend|sofort|schnellstmöglich|so schnell wie möglich|unverzüglich)\b",
        0.4,
    ),
    Term("lure.urgency", r"\binnerhalb (?:von\s+)?(?:24|48|72)\s*(?:Stunden|Std\.?|h)\b", 0.5),
    # --- Erstkontakt
    Term(
        "lure.unsolicited_contact",
        r"\b(?:auf|über)\s+(?:Ihr|dein)\s+Profil\s+gesto(?:ß|ss)en\b",
        0.5,
    ),
    Term(
        "lure.unsolicited_contact",
        r"\b(?:Ihr|dein)\s+Profil\s+(?:hat mich|ist mir)\s+(?:\w+\s+)?(?:aufgefallen|angesprochen|beeindruckt)\b",
        0.45,
    ),
    Term(
        "lure.unsolicited_contact",
        r"\b(?:darf|möchte) ich mich (?:kurz )?vorstellen\b|\berlauben Sie mir,? mich vorzustellen\b",
        0.5,
    ),
    Term(
        "lure.unsolicited_contact",
        r"\bwir kennen uns (?:noch )?nicht\b|\bSie kennen mich (?:noch )?nicht\b"
        r"|\b(?:diese|meine) (?:Nachricht|E-?Mail) (?:wird|mag|dürfte) Sie (?:\w+ )?überraschen\b",
        0.45,
    ),
    # --- präparierte Dateien
    Term(
        "lure.malware_attachment",
        r"\b(?:Passwort|Kennwort)\s+(?:für|zum Öffnen)\s+(?:die|das|der)?\s*(?:Datei|Dokument|Archiv|Anhang|ZIP)\w*\b"
        r"|\b(?:passwort|kennwort)geschützte[ns]?\s+(?:Datei|Dokument|Archiv|ZIP)\b",
        0.75,
        "The contact sends a password-protected file, a way to slip malware past e-mail filters.",
    ),
    # --- Geheimhaltung
    Term(
        "lure.secrecy",
        r"\b(?:streng\s+)?vertraulich\s+(?:behandel\w*|bleiben|halten)\b|\bunter uns bleiben\b",
        0.7,
    ),
    Term(
        "lure.secrecy",
        r"\b(?:absolute|äußerste|größte|höchste)\s+Diskretion\b|\bniemandem (?:davon )?erzählen\b",
        0.6,
    ),
    # --- am Arbeitgeber vorbei
    Term(
        "lure.secrecy",
        r"\b(?:Ihr|Ihre|Ihren|Ihrem)\s+(?:Arbeitgeber|Vorgesetzten?|Dienstherr\w*|Ministerium|Behörde|Chef\w*|Kollegen"
        r"|Abteilung|Firma)\s+(?:muss|müssen|braucht|brauchen)\s+(?:davon\s+)?(?:nichts|nicht)\s+(?:zu\s+)?"
        r"(?:wissen|erfahren|informiert)\w*|\bohne\s+(?:Ihren|Ihre)\s+(?:Arbeitgeber|Vorgesetzten?|Dienstherrn?)\s+"
        r"(?:einzubinden|zu informieren|zu fragen)\b",
        0.75,
        "The contact suggests keeping your employer out of it, which is how covert tasking starts.",
    ),
    Term(
        "lure.secrecy",
        r"\bnicht\s+unter\s+Ihrem\s+Namen\b|\banonym\s+(?:veröffentlicht|verwendet|behandelt)\b",
        0.55,
        "Your work would not carry your name: the client wants the content, not an author.",
    ),
    Term(
        "lure.tasking_report",
        r"\bnoch\s+nicht\s+(?:öffentlich\w*|veröffentlicht|bekannt\w*|in der Presse|angekündigt)\b"
        r"|\bvor\s+(?:der|ihrer)\s+Veröffentlichung\b",
        0.6,
        "The contact wants information that is not yet public, the kind intelligence services pay for.",
    ),
    Term(
        "lure.offplatform_request",
        r"\b(?:an|auf)\s+(?:meine|meinen)\s+(?:private[nr]?|persönliche[nr]?|Gmail-?)\s*(?:E-?Mail(?:-Adresse)?|Adresse"
        r"|Postfach|Mail)\b",
        0.6,
        "The contact asks for material to go to a personal e-mail address, away from the platform.",
    ),
    # --- legitimer Kontext
    Term(
        "ctx.job",
        r"\b(?:Gehalt|Jahresgehalt|brutto|Festanstellung|unbefristet|Benefits|Aufgaben|Anforderungen|Bewerbung|bewerben"
        r"|Homeoffice|Vollzeit|Teilzeit|Stellenanzeige|Stelle)\b",
        1.0,
    ),
    Term("ctx.job", r"\((?:m/w/d|w/m/d|m/f/d|d/m/w)\)", 1.0, anchor=r"\("),
    Term(
        "ctx.event",
        r"\b(?:Konferenz|Tagung|Vortrag|Keynote|Podiumsdiskussion|Programm|Call for Papers|Anmeldung|Referent\w*)\b",
        1.0,
    ),
    Term(
        "ctx.media",
        r"\b(?:Podcast|Folge|Sendung|Hörer\w*|Journalist\w*|Redakteur\w*|Redaktion|Reportage)\b",
        1.0,
    ),
    Term(
        "ctx.publisher",
        r"\b(?:Verlag|Manuskript|Herausgeber\w*|Lektor\w*|Buchprojekt|Sammelband|Magazin|Zeitschrift|Gastbeitrag)\b",
        1.0,
    ),
    Term("ctx.newsletter", r"\b(?:abmelden|abbestellen|Newsletter)\b", 1.0),
)

NEEDS: dict[str, tuple[str, ...]] = {
    r"\b(?:Ihre|deine)\s+(?:Einschätzung|Sicht": (
        "einschätzung",
        "sicht",
        "meinung",
        "perspektive",
        "einblick",
        "expertise",
    ),
    r"\b(?:wir|unser Kunde|unsere Kunden)\s+(?:zahlen": ("zahl", "vergüt", "honorier", "entlohn"),
    r"\b(?:dringend|umgehend": ("dringend", "umgehend", "sofort", "schnell", "unverzüglich"),
    r"\b\w*[Hh]onorar": ("honorar",),
    r"\b(?:pro|je|für jeden": (
        "bericht",
        "artikel",
        "analyse",
        "studie",
        "gutachten",
        "beitrag",
        "einschätzung",
        "dossier",
        "beratungsstunde",
        "gespräch",
    ),
    r"\b(?:Ihre|Ihrer|deine|deiner)\s+(?:private": ("nummer", "mail", "adresse"),
    r"\b(?:ein|eine|einen|einem|unser": ("kunde", "kundin", "mandant", "partner", "auftraggeber"),
    r"\b(?:ein|eine|einem|einer)\s+(?:renommiert": (
        "renommiert",
        "namhaft",
        "führend",
        "bekannt",
        "groß",
        "einflussreich",
    ),
    r"\b(?:namentlich nicht": ("nennen", "offenlegen", "preisgeben", "verraten"),
    r"\b(?:Ihr|Ihre|Ihren|Ihrem|Ihrer|dein": (
        "profil",
        "werdegang",
        "erfahrung",
        "expertise",
        "lebenslauf",
        "karriere",
        "fachwissen",
        "kenntnisse",
    ),
    r"\b(?:Ihr|dein)\s+Profil": ("profil",),
    r"\bwir kennen": ("kennen", "überraschen"),
    r"\b(?:nicht[- ]?öffentlich": (
        "öffentlich",
        "vertraulich",
        "intern",
        "geheim",
        "sensibl",
        "unveröffentlicht",
        "exklusiv",
    ),
    r"\b(?:Anmeldegebühr": ("gebühr", "bankverbindung", "kontodaten", "iban", "kreditkarte"),
    r"\b(?:Sicherheitsüberprüfung": (
        "sicherheits",
        "ermächtigung",
        "ministerium",
        "bundestag",
        "regierung",
        "behörde",
        "verwaltung",
        "bundeswehr",
        "botschaft",
        "bundesamt",
    ),
    r"\b(?:verdienen Sie|verdiene)": ("verdien", "vorkenntnisse", "erfahrung", "zu hause"),
    r"\b(?:weiter|fortsetzen": (
        "whatsapp",
        "telegram",
        "wechat",
        "chat",
        "signal",
        "viber",
        "skype",
        "mail",
        "telefon",
    ),
    r"\b(?:streng\s+)?vertraulich": ("vertraulich", "unter uns"),
}
