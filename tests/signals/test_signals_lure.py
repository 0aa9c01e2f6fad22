"""Case tables for lure evidence in English, French and German: approaches and hard negatives.

All messages are invented for these tests, modelled on the published patterns (threat model).
"""

from __future__ import annotations

import pytest

from lurewatch.records import Message
from lurewatch.scoring.rules import combine
from lurewatch.signals import lure, registry
from lurewatch.signals.language import detect_language
from lurewatch.signals.views import message_view


def _evidence(text: str):
    view = message_view(Message(id="m", text=text))
    view.language, view.language_covered = detect_language(view.text)
    return view, lure.detect(view)


def _codes(text: str) -> set[str]:
    return {e.signal for e in _evidence(text)[1]}


def _score(text: str) -> float:
    return combine(_evidence(text)[1])


LURES_EN = [
    "Dear Mr Carter, I came across your impressive profile. I am a headhunter working for a think tank. "
    "Our client in Asia would like short reports on EU policy developments, generously paid ($2,000 per "
    "report). Could we continue this conversation on WhatsApp? My number is +852 6123 4567.",
    "Hello, allow me to introduce myself: I am a research fellow at an institute for international "
    "strategic studies. We are looking for experts like you to share insights into government "
    "decision-making. All expenses paid trip to Shanghai for a seminar, plus a consulting fee. "
    "Please keep this confidential.",
    "Hi, we haven't met but your background in defence procurement is exactly what my client needs. "
    "It is a paid consulting opportunity, well paid, 10 hours a month. The client prefers to stay "
    "anonymous for now; I cannot disclose the name. Add me on Telegram so we can talk more freely.",
    "Good afternoon. A foreign partner of ours is organising a closed-door workshop in Beijing and would "
    "cover your flights and hotel. They value first-hand perspectives on internal discussions at the "
    "ministry. An honorarium of USD 5,000 is foreseen. Please reply urgently.",
]
LURES_EN += [
    "Dear Dr. Hughes, our client is interested in the latest developments of the UK's China policy. If you "
    "are able to provide relevant information, we can offer generous remuneration.",
    "Dear Mr. Li, I am a researcher at a think tank in Beijing. We are looking for experts to write articles "
    "on the international situation. Each article will be paid US$ 800.",
    "Hello Mr. Dupont, I am a senior research fellow at the China Center of International Politics and "
    "Economy. We would like to invite you to an academic exchange in Beijing. The center covers your flights "
    "and hotel, and provides an honorarium for a short paper on EU-China relations.",
]
# job scams and fake recruiters (must rank above legitimate outreach, medium or more)
SCAMS = [
    "Hi David, I'm a talent acquisition partner at a leading aerospace company. Your background is a perfect "
    "fit for our Senior Systems Engineer role. Please find the job description attached; the password to open "
    "the file is 2468. Can we continue on WhatsApp?",
    "Hi, we reviewed your resume on Indeed. We are hiring a remote Data Entry Clerk, $35/hr, no experience "
    "required. Please add the hiring manager on Telegram @HR_Mark22 for your interview.",
    "Bonjour, nous recrutons des assistants à domicile, 300€ par jour, sans expérience. Contactez-nous sur "
    "WhatsApp au +33 6 12 34 56 78.",
    "Nebenjob von zu Hause aus: verdienen Sie bis zu 500 € pro Tag. Melden Sie sich per WhatsApp.",
]
LURES_FR = [
    "Bonjour Madame, je suis tombé sur votre profil et je suis impressionné par votre parcours. Je suis "
    "chasseur de têtes pour un cercle de réflexion. Notre client asiatique souhaite des notes d'analyse sur "
    "les évolutions de la politique européenne, généreusement rémunérées. Pouvons-nous continuer sur WhatsApp ?",
    "Monsieur, permettez-moi de me présenter. Notre partenaire souhaite vous inviter à un séminaire en Chine, "
    "tous frais payés, et vous propose une collaboration rémunérée : 3 000 € par note sur des informations "
    "non publiques concernant les décisions gouvernementales. Merci de garder cela strictement confidentiel.",
]
LURES_FR += [
    "Bonjour Monsieur, je représente un cabinet de conseil basé à Hong Kong. Nos clients s'intéressent à "
    "votre regard sur la politique industrielle française. Nous proposons une rémunération attractive pour "
    "de courtes notes. Pourrions-nous échanger sur WeChat ou par e-mail personnel ?",
]
LURES_DE = [
    "Sehr geehrter Herr Schmidt, wir sind eine Beratungsfirma mit Sitz in Hongkong. Unsere Kunden "
    "interessieren sich für Ihre Einschätzung zur deutschen Chinapolitik. Für kurze Analysen bieten wir ein "
    "großzügiges Honorar. Gerne können wir uns auch persönlich in Shanghai treffen – die Reisekosten "
    "übernehmen wir selbstverständlich.",
    "Guten Tag, ich bin auf Ihr Profil gestoßen. Unser Kunde aus Asien sucht Experten wie Sie für eine "
    "bezahlte Zusammenarbeit: kurze Berichte über politische Entwicklungen, 3.000 € pro Bericht. Alle "
    "Kosten für ein Seminar in Peking werden übernommen. Können wir per WhatsApp weiterschreiben?",
    "Sehr geehrter Herr Dr. Braun, ich bin Personalberaterin bei einer Denkfabrik. Ein namhaftes "
    "Unternehmen, das ich noch nicht nennen darf, sucht vertrauliche Einblicke in die Entscheidungsprozesse "
    "im Ministerium. Das Honorar ist großzügig. Bitte schreiben Sie mir über Signal: +49 151 2345 6789.",
]

LEGIT = [
    # a real-looking recruiter message with a salary and a phone-number request
    "Hi Anna, I came across your profile and think you'd be a great fit. My client, a fintech scale-up in "
    "Berlin, is hiring a Senior Backend Engineer (Python, Kafka). Salary €85,000-95,000 plus equity, "
    "hybrid. Could you share your phone number so we can schedule a quick call? Job description: "
    "https://example.com/jobs/123",
    # a conference invitation with travel covered and an honorarium
    "Dear Dr. Weber, we are delighted to invite you as a keynote speaker at the European Cyber Security "
    "Conference 2025 in Lisbon (12-14 May). Travel and accommodation will be covered and we offer an "
    "honorarium of €1,000. Programme and venue: https://ecsc.example.org",
    # a podcast invitation
    "Hi Sam, I host the Infra Weekly podcast and loved your talk on observability. Would you like to join "
    "us for an episode next month? Recording takes about an hour over Zoom. Past episodes: "
    "https://infraweekly.example.com",
    # a journalist asking for a phone interview on policy
    "Hi Ms. Novak, I'm a reporter at the Financial Times working on a story about the new defence "
    "procurement policy. Would you be available for a quick phone interview this week? Your views on the "
    "policy developments would be really valuable for our readers.",
    # a publisher offering a fee
    "Dear Dr. Rossi, Oxford University Press is commissioning a handbook on European security. Would you "
    "consider contributing a chapter? Contributors receive a fee of £250 and a copy of the volume.",
    # a recruiter with a salary asking for a number
    "Hello Peter, I'm a recruiter at Helix Search. We're hiring a Head of Security for a well-known fintech "
    "in London (fully remote possible). Base salary £140k + bonus. Happy to share more on a call - what's "
    "the best number to reach you?",
    # French journalist, German podcast with a fee
    "Madame, je suis journaliste au Monde et je prépare un article sur la réforme de la défense. "
    "Accepteriez-vous un entretien téléphonique ? Vos analyses sur la politique de défense seraient précieuses.",
    'Guten Tag Herr Wolf, ich bin Redakteurin beim Podcast "Sicherheitslage". Hätten Sie Lust, in einer '
    "Folge über die Sicherheitspolitik der EU zu sprechen? Wir zahlen ein Honorar von 300 €.",
    # German recruiter with a salary asking for a phone number
    "Hallo Herr Meier, ich bin Personalberaterin bei Hays und habe Ihr Profil gesehen. Für unseren Kunden, "
    "ein mittelständisches Maschinenbauunternehmen in Stuttgart, suche ich einen Teamleiter Konstruktion "
    "(m/w/d). Gehalt bis 90.000 € brutto. Hätten Sie Zeit für ein kurzes Telefonat? Wie lautet Ihre "
    "Telefonnummer?",
    # French conference invitation with travel covered
    "Madame, nous avons le plaisir de vous inviter à intervenir lors du colloque « Cybersécurité et "
    "souveraineté » le 12 juin 2025 à Paris. Vos frais de déplacement et d'hébergement seront pris en "
    "charge. Programme : https://colloque.example.fr",
    # executive search: discreet by trade
    "Hello Sarah, I'm a headhunter at Egon Zehnder. We are conducting a confidential search for a CISO on "
    "behalf of a FTSE 100 client. The role is based in London; compensation is competitive. Would you be "
    "open to a discreet conversation?",
    "Bonjour Marc, je suis chasseur de têtes chez Michael Page et je recrute un Directeur Administratif et "
    "Financier pour un groupe industriel familial basé à Lyon (CA 400 M€). Package : 120 k€ + variable. "
    "Seriez-vous ouvert à un échange ?",
    "Guten Tag Frau Berg, als Headhunter bei Kienbaum suche ich für einen namhaften Automobilzulieferer eine "
    "Leitung IT-Sicherheit. Attraktives Gehalt, Dienstwagen. Darf ich Sie kurz anrufen?",
    # a newsletter
    "This week in AI policy: the EU AI Act enters into force, new guidance on foundation models, and our "
    "reading list. You are receiving this because you subscribed. Unsubscribe or manage preferences here.",
    # a publisher
    "Dear Professor Martin, following your article in the journal, our publishing house would be interested "
    "in a book proposal on supply-chain security. Our editor would be happy to discuss the manuscript "
    "timeline with you.",
    # French recruiter
    "Bonjour Julie, je me permets de vous contacter pour un poste de cheffe de projet en CDI chez "
    "Ingénierie Durable à Lyon. Salaire : 55 k€ brut annuel, télétravail 2 jours. Seriez-vous disponible "
    "pour un échange téléphonique cette semaine ? Offre : https://exemple.fr/offre/42",
    # German conference invitation
    "Sehr geehrte Frau Keller, wir laden Sie herzlich als Referentin zur Tagung Digitale Verwaltung 2025 "
    "in Hamburg ein. Reise- und Übernachtungskosten werden übernommen, ein Honorar von 500 € ist "
    "vorgesehen. Das Programm finden Sie unter https://tagung.example.de",
]


@pytest.mark.parametrize("text", LURES_EN + LURES_FR + LURES_DE)
def test_approaches_score_high(text: str) -> None:
    assert _score(text) >= 0.7


@pytest.mark.parametrize("text", LEGIT)
def test_legitimate_outreach_stays_below_medium(text: str) -> None:
    assert _score(text) < 0.35


def test_every_approach_outranks_every_legitimate_message() -> None:
    assert min(map(_score, LURES_EN + LURES_FR + LURES_DE + SCAMS)) > max(map(_score, LEGIT))


@pytest.mark.parametrize("text", SCAMS)
def test_job_scams_reach_medium(text: str) -> None:
    assert _score(text) >= 0.35


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("It is a generously paid collaboration.", "lure.paid_collaboration"),
        ("We pay €2,500 per report.", "lure.paid_amount"),
        ("You will receive an honorarium.", "lure.paid_collaboration"),
        ("Une mission rémunérée vous attend, avec des honoraires.", "lure.paid_collaboration"),
        ("Das Beraterhonorar beträgt 2.000 Euro.", "lure.paid_collaboration"),
        ("Das Beraterhonorar beträgt 2.000 Euro.", "lure.paid_amount"),
        ("A trip to Beijing, all expenses paid.", "lure.travel_expenses"),
        ("A trip to Beijing, all expenses paid.", "lure.travel_abroad"),
        ("Vos billets d'avion et votre hôtel seront pris en charge.", "lure.travel_expenses"),
        ("Die Reisekosten werden vollständig übernommen.", "lure.travel_expenses"),
        ("Let's continue on WhatsApp, it is easier.", "lure.offplatform_request"),
        ("You can reach me via Signal any time.", "lure.offplatform_app"),
        ("Mon WeChat est ci-dessous.", "lure.offplatform_app"),
        ("Write to me at lily.wu88@gmail.com", "lure.offplatform_email"),
        ("Call me on +44 7700 900123 tomorrow.", "lure.offplatform_phone"),
        ("Pourriez-vous me donner votre numéro de portable ?", "lure.offplatform_request"),
        ("Könnten Sie mir Ihre private Handynummer schicken?", "lure.offplatform_request"),
        ("We need your insight into internal discussions on sanctions.", "lure.tasking_report"),
        ("Could you write a short paper on the new defence policy?", "lure.tasking_report"),
        (
            "Il s'agit de rédiger des notes sur des informations non publiques.",
            "lure.tasking_report",
        ),
        ("Wir suchen vertrauliche Informationen aus dem Ministerium.", "lure.tasking_report"),
        ("I work as a head-hunter for a consulting firm.", "lure.cover_persona"),
        ("Je travaille pour un groupe de réflexion.", "lure.cover_persona"),
        ("Ich arbeite für eine Denkfabrik in Berlin.", "lure.cover_persona"),
        ("One of our clients, an Asian investor, is interested.", "lure.vague_client"),
        ("Je ne peux pas encore divulguer le nom du client.", "lure.vague_client"),
        ("Unser Kunde aus Asien möchte anonym bleiben.", "lure.vague_client"),
        ("I was impressed by your outstanding career.", "lure.flattery"),
        ("Je suis impressionnée par votre parcours remarquable.", "lure.flattery"),
        ("Ich bin beeindruckt von Ihrem Werdegang.", "lure.flattery"),
        ("Please answer within 24 hours.", "lure.urgency"),
        ("Merci de répondre au plus vite.", "lure.urgency"),
        ("Bitte antworten Sie umgehend.", "lure.urgency"),
        ("I stumbled upon your profile yesterday.", "lure.unsolicited_contact"),
        ("J'ai découvert votre profil hier.", "lure.unsolicited_contact"),
        ("Ich bin gestern auf Ihr Profil gestoßen.", "lure.unsolicited_contact"),
        ("Please keep this strictly confidential.", "lure.secrecy"),
        ("Tout ceci doit rester entre nous.", "lure.secrecy"),
        ("Das sollte unter uns bleiben.", "lure.secrecy"),
        ("Earn up to $500 per day from home, no experience needed!", "lure.paid_easy_money"),
        ("A small registration fee of $50 is required before training.", "lure.paid_upfront"),
        (
            "I am the barrister of your late relative; you are the next of kin.",
            "lure.paid_windfall",
        ),
        ("Your position at the ministry gives you a unique view.", "lure.tasking_access"),
        ("The password to open the file is 2468.", "lure.malware_attachment"),
        ("We'd like to hear your thoughts on U.S. foreign policy.", "lure.tasking_report"),
        (
            "Write a paper on the policy on China and we'll pay you for it.",
            "lure.paid_collaboration",
        ),
        ("La rémunération est attractive.", "lure.paid_collaboration"),
        ("Un voyage en Chine est prévu.", "lure.travel_abroad"),
        ("Kindly download the Telegram app.", "lure.offplatform_request"),
        ("Contact our HR manager @lisa_hr for your interview.", "lure.offplatform_request"),
        (
            "Please clone our repo and run npm install before the interview.",
            "lure.malware_attachment",
        ),
        ("Das Passwort für die Datei schicke ich separat.", "lure.malware_attachment"),
        ("Le fichier est protégé par un mot de passe.", "lure.malware_attachment"),
    ],
)
def test_case_table(text: str, code: str) -> None:
    assert code in _codes(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("The signal to noise ratio is poor.", "lure.offplatform_app"),
        ("Par rapport à l'an dernier, les ventes ont progressé.", "lure.paid_collaboration"),
        ("We met at the conference in Lisbon last year.", "lure.travel_abroad"),
        ("Thanks for the report you sent last week.", "lure.tasking_report"),
        ("The meeting is at 10:30 in room 2.", "lure.offplatform_phone"),
        ("Please contact me at john.smith@acme.com to schedule.", "lure.offplatform_request"),
    ],
)
def test_ordinary_phrases_do_not_fire(text: str, code: str) -> None:
    assert code not in _codes(text)


@pytest.mark.parametrize("text", LURES_EN + LURES_FR + LURES_DE + SCAMS + LEGIT)
def test_quotes_are_exact_spans_and_codes_registered(text: str) -> None:
    view, evidence = _evidence(text)
    for ev in evidence:
        assert ev.span is not None
        start, end = ev.span
        assert view.text[start:end] == ev.quote
        assert 0.0 <= ev.strength <= 1.0
        assert ev.explanation and ev.explanation.endswith(".")
        spec = registry.get(ev.signal)
        assert spec is not None and "message" in spec.applies_to


def test_context_strengthens_whatsapp_at_first_contact() -> None:
    alone = {e.signal: e.strength for e in _evidence("Let's talk on WhatsApp.")[1]}
    first = {
        e.signal: e.strength
        for e in _evidence("I came across your profile. Let's talk on WhatsApp.")[1]
    }
    assert first["lure.offplatform_request"] > alone["lure.offplatform_request"]


def test_fee_for_policy_analysis_outweighs_a_salary() -> None:
    fee = {
        e.signal: e.strength
        for e in _evidence("We pay $3,000 per report on policy developments.")[1]
    }
    salary = {
        e.signal: e.strength
        for e in _evidence("Full-time role, salary $3,000 per month, hybrid, apply now.")[1]
    }
    assert fee["lure.paid_amount"] > salary["lure.paid_amount"]


def test_pocket_money_counts_less_than_a_fee_or_a_rate() -> None:
    def amount(text: str) -> float:
        return {e.signal: e.strength for e in _evidence(text)[1]}["lure.paid_amount"]

    assert amount("It's £6 to get in, ok?") < amount("We pay $3,000 for it.")
    assert amount("It's £6 to get in, ok?") < amount("We pay $35/hr from home.")
    assert amount("Rémunération 50 € de l’heure.") == amount("Rémunération 500 € au total.")


def test_mixed_language_message_uses_every_lexicon() -> None:
    codes = _codes(
        "Hello! Notre client asiatique offers a paid collaboration. Die Reisekosten werden übernommen."
    )
    assert {"lure.vague_client", "lure.paid_collaboration", "lure.travel_expenses"} <= codes


@pytest.mark.parametrize("text", ["", "   ", "ok", "\n\n"])
def test_empty_or_tiny_text_gives_no_evidence(text: str) -> None:
    assert _evidence(text)[1] == []


def test_html_entities_and_accents_are_handled() -> None:
    view = message_view(
        Message(
            id="m",
            text="Vos frais de voyage seront pris en charge &amp; r&eacute;mun&eacute;r&eacute;s.",
        )
    )
    codes = {e.signal for e in lure.detect(view)}
    assert "lure.travel_expenses" in codes


@pytest.mark.parametrize("text", LURES_EN + LURES_FR + LURES_DE + SCAMS + LEGIT)
def test_prefilter_loses_nothing(text: str) -> None:
    view = message_view(Message(id="m", text=text))
    assert lure.detect(view) == lure.detect(view, prefilter=False)


def test_every_needs_key_names_a_term() -> None:
    from lurewatch.signals.lexicons import de, en, fr, shared

    for module in (shared, en, fr, de):
        for start in module.NEEDS:
            assert any(t.pattern.startswith(start) for t in module.TERMS), (module.__name__, start)


def _shared_messages() -> list[str]:
    import csv
    import os
    from pathlib import Path

    root = Path(
        os.environ.get("LUREWATCH_SHARED_DATA")
        or Path(__file__).resolve().parents[2] / ".." / "shared" / "data"
    )
    path = root / "messages" / "sms_spam_multilingual" / "data-en-hi-de-fr.csv"
    if not path.exists():
        pytest.skip("shared data not available")
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))[:150]
    return [r[col] for r in rows for col in ("text", "text_fr", "text_de") if r.get(col)]


def test_prefilter_loses_nothing_on_real_messages() -> None:
    for text in _shared_messages():
        view = message_view(Message(id="m", text=text))
        assert lure.detect(view) == lure.detect(view, prefilter=False), text


@pytest.mark.parametrize(
    "text",
    [
        "As a compliance rule, you will never be asked to share confidential information.",
        "We do not want any internal documents, only your public views on the market.",
        "Bien entendu, nous ne demandons aucune information confidentielle.",
        "Selbstverständlich erwarten wir keine internen Informationen.",
    ],
)
def test_negated_tasking_is_a_reassurance_not_a_request(text):
    codes = {e.signal for e in lure.detect(message_view(Message(id="m", text=text)))}
    assert not codes & {"lure.tasking_report", "lure.tasking_access"}


def test_negation_does_not_hide_a_real_request():
    text = "Please do not hesitate to share internal documents on the negotiations."
    codes = {e.signal for e in lure.detect(message_view(Message(id="m", text=text)))}
    assert "lure.tasking_report" in codes
