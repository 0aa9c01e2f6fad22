"""One example per lexicon term: each term fires where it should, and the pre-filter keeps it.

The coverage test fails when a term is added without an example here (or in the case tables of
test_signals_lure.py), so every pattern is exercised at least once.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from lurewatch.records import Message
from lurewatch.signals import lure
from lurewatch.signals.views import message_view

EXAMPLES: list[tuple[str, str]] = [
    # shared
    ("Just WhatsApp me tonight.", "lure.offplatform_request"),
    ("Mein Büro: 030 1234 5678, gerne jederzeit.", "lure.offplatform_phone"),
    ("USD 4,500 for the first month.", "lure.paid_amount"),
    ("The firm is based in Shenzhen.", "lure.vague_client"),
    # English
    ("Our client pays very well for this kind of work.", "lure.paid_collaboration"),
    ("A nice source of extra income for a senior expert.", "lure.paid_collaboration"),
    ("There is a financial reward for your time.", "lure.paid_collaboration"),
    ("The remuneration is discussed later.", "lure.paid_collaboration"),
    ("Work as a reshipping coordinator from home.", "lure.paid_easy_money"),
    ("We could meet abroad during the seminar next spring.", "lure.travel_abroad"),
    ("A client meeting can be arranged in the autumn.", "lure.travel_abroad"),
    ("We would like to invite you to visit our campus.", "lure.travel_abroad"),
    ("Could you give me your personal phone?", "lure.offplatform_request"),
    ("It is better to talk off the platform.", "lure.offplatform_request"),
    ("The interview will be held on Telegram.", "lure.offplatform_request"),
    ("I am a talent scout for an international firm.", "lure.cover_persona"),
    ("More details once we talk in private.", "lure.vague_client"),
    ("You are a highly respected expert.", "lure.flattery"),
    ("We can talk discreetly.", "lure.secrecy"),
    ("I can’t disclose the client’s name yet.", "lure.vague_client"),
    ("We haven’t met, but I know your work.", "lure.unsolicited_contact"),
    ("Our clients would compensate you for a short call.", "lure.paid_collaboration"),
    ("A consultation about your former agency's procurement plans.", "lure.tasking_access"),
    ("Please fill in a questionnaire on China-EU relations.", "lure.tasking_report"),
    ("We value your insights on the South China Sea.", "lure.tasking_report"),
    ("Only a few places left, act now.", "lure.urgency"),
    ("Please reply today.", "lure.urgency"),
    ("I hope this message finds you well.", "lure.unsolicited_contact"),
    ("This letter may come as a surprise to you.", "lure.unsolicited_contact"),
    ("Please install our secure meeting app before the call.", "lure.malware_attachment"),
    ("Your travel and hotel will be fully covered.", "lure.travel_expenses"),
    ("You have been selected for the lottery.", "lure.paid_windfall"),
    ("Could you share your number?", "lure.offplatform_request"),
    ("Many senior people are looking for advisory fees.", "lure.paid_collaboration"),
    # French
    ("Votre contribution serait généreusement rémunérée.", "lure.paid_collaboration"),
    ("Vous seriez bien rémunéré pour ce travail.", "lure.paid_collaboration"),
    ("Un complément de revenus d'appoint intéressant.", "lure.paid_collaboration"),
    ("Des frais de dossier de 50 € sont demandés.", "lure.paid_upfront"),
    ("Avec prise en charge complète des frais de voyage.", "lure.travel_expenses"),
    ("Un voyage offert pour deux personnes.", "lure.travel_expenses"),
    ("Une rencontre est prévue à l'étranger au printemps.", "lure.travel_abroad"),
    ("Vous pourriez rencontrer notre client à Paris.", "lure.travel_abroad"),
    ("Pourriez-vous transmettre des informations utiles sur le projet ?", "lure.tasking_report"),
    ("Votre habilitation de sécurité est un atout.", "lure.tasking_access"),
    ("Je suis chercheuse associée dans un institut.", "lure.cover_persona"),
    ("Un institut de recherches stratégiques internationales vous invite.", "lure.cover_persona"),
    ("Une grande entreprise s'intéresse à vous.", "lure.vague_client"),
    ("Nous cherchons un expert comme vous.", "lure.flattery"),
    ("Merci de répondre sous 48 h.", "lure.urgency"),
    ("Votre avis sur la situation nous intéresse.", "lure.tasking_report"),
    ("J’ai découvert votre profil hier soir.", "lure.unsolicited_contact"),
    ("Un séminaire à l’étranger est prévu.", "lure.travel_abroad"),
    ("Aucune expérience requise, contactez-nous sur Telegram.", "lure.paid_easy_money"),
    ("Aucune expérience requise, contactez-nous sur Telegram.", "lure.offplatform_request"),
    ("Ceci sera traité en toute discrétion.", "lure.secrecy"),
    # German
    ("Ein attraktiver Nebenverdienst für Fachleute.", "lure.paid_collaboration"),
    ("Die Vergütung klären wir später.", "lure.paid_collaboration"),
    ("Eine Bearbeitungsgebühr von 30 € fällt an.", "lure.paid_upfront"),
    ("Alle anfallenden Kosten werden selbstverständlich übernommen.", "lure.travel_expenses"),
    ("Selbstverständlich übernehmen wir die Reisekosten.", "lure.travel_expenses"),
    ("Eine Kostenübernahme ist vorgesehen.", "lure.travel_expenses"),
    ("Ein Treffen im Ausland wäre ideal.", "lure.travel_abroad"),
    ("Ein Kundentermin folgt im Mai.", "lure.travel_abroad"),
    ("Sie müssten nur kurze Berichte für uns schreiben.", "lure.tasking_report"),
    ("Könnten Sie uns Informationen aus Ihrem Haus zukommen lassen?", "lure.tasking_report"),
    ("Ihre Sicherheitsüberprüfung ist für uns wichtig.", "lure.tasking_access"),
    ("Das Institut für internationale Politik lädt Sie ein.", "lure.cover_persona"),
    ("Ein chinesischer Partner ist interessiert.", "lure.vague_client"),
    ("Ihr beeindruckender Werdegang ist uns aufgefallen.", "lure.flattery"),
    ("Bitte antworten Sie innerhalb von 24 Stunden.", "lure.urgency"),
    ("Ihr Profil ist mir sofort aufgefallen.", "lure.unsolicited_contact"),
    ("Darf ich mich kurz vorstellen?", "lure.unsolicited_contact"),
    ("Sie kennen mich noch nicht.", "lure.unsolicited_contact"),
    ("Wir bitten um absolute Diskretion.", "lure.secrecy"),
    ("Wir zahlen Ihnen 500 Euro pro Gespräch.", "lure.paid_collaboration"),
    ("Ihre Einschätzung zur Lage wäre wertvoll.", "lure.tasking_report"),
    ("Keine Vorkenntnisse nötig, 35 € pro Stunde.", "lure.paid_easy_money"),
    # around the employer, out of sight (en / fr / de)
    ("There is no need to inform your employer about our exchange.", "lure.secrecy"),
    ("The paper will not be published under your name.", "lure.secrecy"),
    ("Anything that is not yet in the press would be most useful.", "lure.tasking_report"),
    ("Please send it to my personal email rather than here.", "lure.offplatform_request"),
    ("Inutile d’en parler à votre hiérarchie.", "lure.secrecy"),
    ("La note ne sera pas publiée sous votre nom.", "lure.secrecy"),
    ("Les éléments qui ne sont pas encore publics nous intéressent.", "lure.tasking_report"),
    (
        "Merci de l’envoyer directement à mon adresse e-mail personnelle.",
        "lure.offplatform_request",
    ),
    ("Ihr Arbeitgeber muss davon nichts wissen.", "lure.secrecy"),
    ("Der Text erscheint nicht unter Ihrem Namen.", "lure.secrecy"),
    ("Was noch nicht öffentlich ist, hilft uns am meisten.", "lure.tasking_report"),
    ("Schicken Sie es bitte an meine private E-Mail-Adresse.", "lure.offplatform_request"),
]


@pytest.mark.parametrize(("text", "code"), EXAMPLES)
def test_example_fires_and_prefilter_keeps_it(text: str, code: str) -> None:
    view = message_view(Message(id="m", text=text))
    evidence = lure.detect(view)
    assert code in {e.signal for e in evidence}
    assert evidence == lure.detect(view, prefilter=False)


def _all_example_texts() -> list[str]:
    texts = [t for t, _ in EXAMPLES]
    source = (Path(__file__).parent / "test_signals_lure.py").read_text(encoding="utf-8")
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and len(node.value) > 12:
            texts.append(node.value)
    return texts


def test_every_lexicon_term_has_an_example() -> None:
    texts = _all_example_texts()
    missing = [
        f"{term.code}: {term.pattern[:70]}"
        for term, regex in zip(lure._TERMS, lure._REGEXES, strict=True)
        if not term.code.startswith("ctx.") and not any(regex.search(t) for t in texts)
    ]
    assert not missing, "terms without an example:\n" + "\n".join(missing)
