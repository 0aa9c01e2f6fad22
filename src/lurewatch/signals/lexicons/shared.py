"""Language-independent patterns: messaging apps, contact details, money amounts, places."""

from __future__ import annotations

from lurewatch.signals.lexicons import Term

# Destinations named in published lure cases (trips "to meet the client" in Asia) and other
# places where a hosted trip puts a target under a foreign service's control.
RISK_PLACES = (
    r"China|Chine|Beijing|Peking|Pékin|Shanghai|Shenzhen|Guangzhou|Hong\s?Kong|Hongkong|Macau|Macao|Asia|Asien|Asie"
    r"|Russia|Russland|Russie|Moscow|Moskau|Moscou|Iran|Tehran|Teheran|Téhéran|North Korea|Pyongyang"
    r"|Minsk|Belarus"
)

_CUR_SYM = r"[$€£¥₽]"
_CUR_CODE = (
    r"(?:US\$|USD|EUR|GBP|CHF|RMB|CNY|RUB|dollars?|euros?|pounds?|Dollar|Euro|Pfund|francs?)"
)
_NUM = r"\d{1,3}(?:[ ,.'\u202f\u00a0]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?"
_MULT = r"(?:\s?(?:k|K|Tsd\.?|mille|thousand|million|millions|Millionen|Mio\.?|m|mn|M)\b)?"

AMOUNT_SYMBOL_FIRST = rf"{_CUR_SYM}\s?(?:{_NUM}){_MULT}"
AMOUNT_CODE_FIRST = rf"\b{_CUR_CODE}\s?(?:{_NUM}){_MULT}"
AMOUNT_NUMBER_FIRST = rf"\b(?:{_NUM}){_MULT}\s?(?:{_CUR_SYM}|{_CUR_CODE}\b)"
AMOUNT = f"{AMOUNT_SYMBOL_FIRST}|{AMOUNT_CODE_FIRST}|{AMOUNT_NUMBER_FIRST}"
_CUR_NEEDS = (
    "$",
    "€",
    "£",
    "¥",
    "₽",
    "usd",
    "eur",
    "gbp",
    "chf",
    "rmb",
    "cny",
    "rub",
    "dollar",
    "pound",
    "franc",
    "pfund",
)

_APPS = (
    r"whats\s?app|telegram|we\s?chat|weixin|viber|threema|wickr|kakao\s?talk|line\s?app|skype|imo\s?app"
    r"|wire\s?(?:app|messenger)|session\s?(?:app|messenger)|signal\s?(?:app|messenger)|protonmail|proton\s?mail"
)

_PERSONAL_MAIL = (
    r"gmail|googlemail|yahoo|hotmail|outlook|live|aol|icloud|protonmail|proton|gmx|web|mail|yandex|qq|163|126"
    r"|sina|foxmail|tutanota|zoho"
)

TERMS: tuple[Term, ...] = (
    Term("lure.paid_amount", AMOUNT_SYMBOL_FIRST, 0.4, anchor=_CUR_SYM),
    Term("lure.paid_amount", AMOUNT_CODE_FIRST, 0.4),
    Term("lure.paid_amount", AMOUNT_NUMBER_FIRST, 0.4, needs=_CUR_NEEDS, anchor=r"\d+"),
    Term("lure.offplatform_app", rf"\b(?:{_APPS})\b", 0.45),
    Term(
        "lure.offplatform_app",
        rf"\b(?:{_APPS})\b\s*(?:id|ID|handle|user ?name|account|number|nummer|numéro|contact)?\s*(?:is|ist|est|:)?\s*"
        r"(?:(?:me|us|moi|mir|uns)\s+)?(?:(?:at|on|via|unter|au|sur)\s+)?(?:@[\w.]{3,}|\+?\d[\d\s-]{6,}\d)",
        0.7,
        "A messaging-app handle or number is given, to continue the contact off the platform.",
    ),
    Term(
        "lure.offplatform_request",
        r"\b(?:whats\s?app|telegram|we\s?chat|signal|viber)\s+(?:me|us)\b",
        0.6,
        "The contact asks you to write to them on a messaging app, away from the platform's protections.",
    ),
    # "Signal" is an ordinary word: only the capitalised app name after a preposition counts.
    Term(
        "lure.offplatform_app",
        r"\b(?:[Oo]n|[Vv]ia|[Oo]ver|[Tt]hrough|[Ss]ur|[Aa]uf|[Üü]ber|[Pp]er|[Bb]ei)\s+Signal\b(?!\s+(?:processing|strength|intelligence|to|that|of|for|des|der|von))",
        0.55,
        case_sensitive=True,
    ),
    Term(
        "lure.offplatform_email",
        # starts only where a run of address characters starts: `\b[\w.+-]+@` was tried at
        # every word boundary of "a.a.a.…@" (quadratic: 10,000 characters, 3.7 s)
        rf"(?<![\w.+-])[\w.+-]+@(?:{_PERSONAL_MAIL})\.(?:com|net|fr|de|cn|ru|org|co\.uk|me|ch|at)\b",
        0.45,
        "A personal (webmail) e-mail address is given, a way to continue the contact off the platform.",
    ),
    Term(
        "lure.offplatform_phone",
        r"(?<![\w+])(?:\+|00)\d{1,3}[\s./-]?(?:\(0?\d{1,4}\)[\s./-]?)?\d{2,4}(?:[\s./-]?\d{2,4}){1,4}\b",
        0.4,
        "A phone number is given, a way to continue the contact off the platform.",
        anchor=r"\+|00",
    ),
    Term(
        "lure.offplatform_phone",
        r"(?<![\w+])0\d{2,4}[\s./-]?\d{3,4}[\s./-]?\d{3,5}\b",
        0.35,
        "A phone number is given, a way to continue the contact off the platform.",
        anchor=r"0\d",
    ),
    Term("lure.cover_persona", r"\bhead[- ]?hunt(?:er|ers|erin|ing)\b", 0.55),
    Term("lure.cover_persona", r"\bthink[- ]?tanks?\b", 0.6),
    Term(
        "lure.cover_persona",
        r"\b(?:Academy of Social Sciences|Center for Sino-Europe|China Center of International|CCIPE|Strategic Consulting)\b",
        0.8,
    ),
    Term(
        "lure.vague_client",
        rf"\b(?:client|customer|partner|Kunde|Kunden|Mandant|cliente?)s?\s+(?:based\s+)?(?:in|from|aus|en|d[e'’])\s*(?:{RISK_PLACES})\b",
        0.7,
        "The message names only a region for the client or partner (e.g. 'a client in Asia'), not a company.",
    ),
    Term(
        "lure.vague_client",
        rf"\b(?:compan(?:y|ies)|firm|group|consultancy|organi[sz]ation|Firma|Unternehmen|société|entreprise|cabinet"
        rf"|think[- ]?tank|institute|research cent(?:er|re)|academy|Denkfabrik|Institut|institut|Beratungs\w*)\s+"
        rf"(?:[\w'’-]+\s+){{0,2}}?(?:(?:based|located|basée?|ansässig|mit Sitz)\s+)?(?:in|en|à)\s+(?:{RISK_PLACES})\b",
        0.5,
        "The company is described only by where it is based, not by a name you could verify.",
    ),
    Term(
        "lure.offplatform_request",
        r"\b(?:contact|add|message|text|reach|write to|kontaktieren Sie|contactez|ajoutez)\s+(?:[\w]+\s+){0,4}?"
        r"@[A-Za-z_][\w.]{3,}\b(?![.\w]*@)(?!\.\w)",
        0.6,
        "The contact gives a messaging handle to continue the conversation elsewhere.",
    ),
    Term(
        "lure.offplatform_request",
        r"\b(?:download|install|get|téléchargez|installez|laden Sie|installieren Sie)\s+(?:the\s+|l'application\s+|die\s+)?"
        r"(?:whats\s?app|telegram|signal|we\s?chat|viber|wickr|threema)\b",
        0.7,
        "The contact asks you to install a messaging app to continue, away from the platform's protections.",
    ),
    Term("ctx.link", r"\bhttps?://[^\s]+|\bwww\.[\w-]+\.\w+", 1.0),
    Term("ctx.date", r"\b(?:20[2-3]\d)\b", 1.0),
)

NEEDS: dict[str, tuple[str, ...]] = {
    rf"\b(?:{_APPS})\b\s*(?:id": (
        "whats",
        "telegram",
        "chat",
        "weixin",
        "viber",
        "threema",
        "wickr",
        "kakao",
        "line",
        "skype",
        "imo",
        "wire",
        "session",
        "signal",
        "proton",
    ),
    rf"\b(?:{_APPS})": (
        "whats",
        "telegram",
        "chat",
        "weixin",
        "viber",
        "threema",
        "wickr",
        "kakao",
        "line",
        "skype",
        "imo",
        "wire",
        "session",
        "signal",
        "proton",
    ),
    r"(?<![\w.+-])[\w.+-]+@": ("@",),
    r"\b(?:contact|add|message|text|reach": ("@",),
    r"\b(?:download|install|get": (
        "whats",
        "telegram",
        "signal",
        "chat",
        "viber",
        "wickr",
        "threema",
    ),
    r"\b(?:whats\s?app|telegram|we\s?chat|signal|viber)\s+(?:me": (
        "whats",
        "telegram",
        "chat",
        "signal",
        "viber",
    ),
    r"(?<![\w+])(?:\+|00)": ("+", "00"),
    r"(?<![\w+])0\d": ("0",),
    r"\b(?:[Oo]n|[Vv]ia": ("signal",),
}
