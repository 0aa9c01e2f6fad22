"""French lure lexicon (gendered and plural endings are optional groups)."""

from __future__ import annotations

from lurewatch.signals.lexicons import Term
from lurewatch.signals.lexicons.shared import RISK_PLACES

_W = r"(?:[\w'’-]+\s+)"
_E = r"(?:e|é|ée|és|ées)?"  # optional past-participle endings

TERMS: tuple[Term, ...] = (
    # --- argent
    Term(
        "lure.paid_collaboration",
        rf"\b(?:collaborations?|missions?|coopérations?|partenariats?|travail|travaux|études?|prestations?|contributions?"
        rf"|projets?|activités?)\s+{_W}?(?:rémunérée?s?|payée?s?|bien payée?s?|rétribuée?s?)\b",
        0.65,
    ),
    Term(
        "lure.paid_collaboration",
        r"\b(?:généreusement|très bien|largement|grassement)\s+(?:rémunér|pay|rétribu|récompens|dédommag)\w*"
        r"|\b(?:rémunérations?|rétributions?|indemnités?|compensations?|honoraires?)\s+(?:très\s+)?(?:généreu(?:x|se|ses)"
        r"|attractive?s?|intéressante?s?|confortables?|importante?s?)\b",
        0.8,
        "The message promises generous pay, a classic hook of recruitment approaches.",
    ),
    Term("lure.paid_collaboration", r"\bhonoraires?\b", 0.5),
    Term(
        "lure.paid_collaboration",
        r"\b(?:rémunérations?|rétributions?|indemnités?|honoraires)\s+(?:est|sont|sera|seront|serait)\s+(?:très\s+)?"
        r"(?:attractive?s?|généreu(?:x|se|ses)|intéressante?s?|confortables?|importante?s?)\b"
        r"|\bnous vous (?:paierons|payerons|rémunérerons)\b",
        0.75,
        "The message promises generous pay, a classic hook of recruitment approaches.",
    ),
    Term(
        "lure.paid_collaboration",
        r"\b(?:par|pour chaque|chaque)\s+(?:note|article|analyse|étude|mémo|rapport rédigé|synthèse|consultation|contribution)\b",
        0.65,
        "Payment is offered per note, report or consultation, the pattern of paid 'analysis' tasking.",
    ),
    Term(
        "lure.paid_collaboration",
        r"\b(?:serez|seriez|sera|seront|serait|être|est)\s+(?:bien\s+|généreusement\s+|largement\s+|intégralement\s+)?"
        r"(?:rémunérée?s?|payée?s?|dédommagée?s?|rétribuée?s?)\b",
        0.5,
    ),
    Term(
        "lure.paid_collaboration",
        r"\b(?:revenus?|complément de revenus?)\s+(?:complémentaires?|supplémentaires?|d['’]appoint)\b",
        0.55,
    ),
    Term("lure.paid_collaboration", r"\brémunération\b", 0.3),
    Term(
        "lure.paid_easy_money",
        r"\b(?:gagne[rz]?|gagnez)\s+(?:jusqu['’]à\s+)?\d[^\n]{0,25}?\b(?:par|chaque)\s+(?:jour|semaine|heure|mois)\b"
        r"|\b(?:sans expérience|aucune expérience (?:requise|nécessaire)|travail à domicile|depuis chez vous)\b",
        0.5,
        "Easy earnings or work from home without experience are promised, typical of job scams.",
    ),
    Term(
        "lure.paid_upfront",
        r"\bfrais\s+(?:d['’]inscription|de dossier|de formation|de traitement|administratifs)\b"
        r"|\b(?:vos|votre)\s+(?:coordonnées bancaires|RIB|IBAN|numéro de carte)\b",
        0.65,
        "The contact asks for money or bank details up front, typical of job and advance-fee scams.",
    ),
    # --- voyage
    Term(
        "lure.travel_expenses", r"\btous frais (?:payés|compris|pris en charge|remboursés)\b", 0.8
    ),
    Term(
        "lure.travel_expenses",
        r"\b(?:frais|billets? d['’]avion|vols?|hébergement|hôtel|voyage|séjour|déplacements?|transport)\s+(?:[\w'’-]+\s+){0,4}?"
        r"(?:sont\s+|seront\s+|seraient\s+|sera\s+|serait\s+|est\s+)?(?:entièrement\s+|intégralement\s+|totalement\s+)?"
        r"(?:pris en charge|remboursés?|couverts?|payés?|offerts?)\b",
        0.6,
    ),
    Term(
        "lure.travel_expenses",
        r"\bprise en charge\s+(?:complète\s+|intégrale\s+|totale\s+)?(?:de\s+|des\s+|du\s+|de vos\s+|de votre\s+)"
        r"(?:frais|voyage|billets?|vols?|séjour|déplacements?|hébergement)",
        0.6,
    ),
    Term("lure.travel_expenses", r"\b(?:voyage|séjour|billet)\s+(?:gratuit|offert)e?s?\b", 0.7),
    Term(
        "lure.travel_abroad",
        rf"\b(?:voyages?|séjours?|déplacements?|visites?|séminaires?|colloques?|conférences?|rencontres?|réunions?"
        rf"|forums?|négociations?)\s+(?:[\w'’-]+\s+){{0,2}}?(?:en|à|au)\s+(?:{RISK_PLACES})\b",
        0.6,
        "The message proposes a trip or meeting in a country where a hosted visit puts the guest under a foreign service's control.",
    ),
    Term(
        "lure.travel_abroad",
        r"\b(?:voyage|séjour|déplacement|rencontre|séminaire|réunion)\b[^.\n]{0,40}?\bà l['’]étranger\b",
        0.45,
    ),
    Term(
        "lure.travel_abroad",
        r"\b(?:rencontrer|voir)\s+(?:le|notre|mon)\s+client\b|\brendez-vous (?:avec le|client)\b",
        0.4,
        "A meeting with an unnamed client is proposed, a step used to bring targets to a handler.",
    ),
    # --- hors plateforme
    Term(
        "lure.offplatform_request",
        r"\b(?:votre|ton|vos)\s+(?:numéro(?:\s+de\s+(?:téléphone|portable|mobile|WhatsApp))?|portable|téléphone|mobile"
        r"|adresse (?:e-?mail|mail|électronique)\s*(?:personnelle|privée)?|e-?mail\s+(?:personnel|privé)|mail personnel"
        r"|coordonnées\s+(?:personnelles|directes))\b",
        0.45,
        "The contact asks for a phone number or a personal e-mail address, to move off the platform.",
    ),
    Term(
        "lure.offplatform_request",
        r"\b(?:continuer|poursuivre|échanger|discuter|parler|contactez-(?:moi|nous)|écrivez-(?:moi|nous)|ajoutez-(?:moi|nous)|joindre)\b[^.\n]{0,30}?"
        r"\b(?:sur|via|par)\s+(?:whats\s?app|telegram|we\s?chat|signal|viber|skype)\b",
        0.7,
        "The contact asks to continue the conversation on another channel, away from the platform's protections.",
    ),
    # --- commande de travaux
    Term(
        "lure.tasking_report",
        r"\b(?:votre|vos|ton)\s+(?:avis|regards?|analyses?|points? de vue|éclairages?|lectures?|expertise)\s+(?:sur|concernant)\b",
        0.35,
        "The contact asks for your views, which paid 'consulting' approaches turn into tasking.",
    ),
    Term(
        "lure.tasking_report",
        r"\b(?:rédiger|rédaction|écrire|préparer|produire|fournir|réaliser|livrer|élaborer)\s+(?:[\w'’-]+\s+){0,3}?"
        r"(?:notes?|rapports?|analyses?|articles?|études?|synthèses?|mémos?|papiers?|notes? d['’]analyse|contributions?)\b",
        0.45,
    ),
    Term(
        "lure.tasking_report",
        r"\b(?:informations?|analyses?|éclairages?|points? de vue|regards?|avis|perspectives?|connaissances?|lectures?)"
        r"\s+(?:[\w'’-]+\s+){0,2}?(?:sur|concernant|quant à)\s+(?:[\w'’-]+\s+){0,3}?(?:politiques?|gouvernement\w*"
        r"|ministères?|défense|sécurité|stratégi\w+|internes?|diplomati\w+|réglementation|décisions?|négociations?)\b",
        0.6,
        "The contact wants insight into policy, government or security matters, the subject of intelligence tasking.",
    ),
    Term(
        "lure.tasking_report",
        r"\b(?:informations?|documents?|éléments?|données|détails|dossiers?|notes?|regards?)\s+(?:[\w'’-]+\s+)?"
        r"(?:non[- ]publi\w+|confidentiel\w*|internes?|sensibles?|privilégiée?s?|classifiée?s?|inédit\w*)\b",
        0.85,
        "The contact asks for non-public, internal or confidential information.",
    ),
    Term(
        "lure.tasking_report",
        r"\bévolutions?\s+(?:de\s+la\s+|des\s+)?politiques?\b|\bdécisions? gouvernementales?\b",
        0.5,
    ),
    Term(
        "lure.tasking_report",
        r"\b(?:courte?s?|brèves?|petite?s?)\s+(?:notes?|analyses?|rapports?|études?|synthèses?|articles?)\b",
        0.55,
    ),
    Term(
        "lure.tasking_report",
        r"\b(?:fournir|transmettre|communiquer|partager)\s+(?:[\w'’-]+\s+){0,2}?(?:informations?|documents?|éléments?"
        r"|renseignements?)\s+(?:utiles|pertinent\w*|internes?|exclusi\w+|récent\w*|sur|concernant)\b",
        0.55,
        "The contact asks you to pass on information, the core of intelligence tasking.",
    ),
    Term(
        "lure.tasking_access",
        r"\b(?:habilitation|accréditation)\s+(?:de sécurité|défense|secret)\b|\bvotre\s+(?:poste|fonction|réseau|rôle)\s+"
        r"(?:au|à la|dans (?:le|la|l'))\s+(?:ministère|gouvernement|administration|direction|ambassade|assemblée|armée)",
        0.5,
        "The message is interested in the target's government position, contacts or security clearance.",
    ),
    # --- couverture
    Term("lure.cover_persona", r"\bchasseu(?:r|se|rs|ses) de têtes?\b", 0.55),
    Term("lure.cover_persona", r"\b(?:groupe|cercle|laboratoire|centre) de réflexion\b", 0.6),
    Term(
        "lure.cover_persona",
        r"\bconsultant(?:e|s|es)?\b|\bcabinet (?:de conseil|de recrutement)\b",
        0.3,
    ),
    Term("lure.cover_persona", r"\bchercheu(?:r|se)s?\s+associée?s?\b", 0.4),
    Term(
        "lure.cover_persona",
        r"\b(?:institut|centre|académie|fondation)\s+(?:[\w'’-]+\s+){0,3}?(?:études|relations|recherches?|politique|affaires)"
        r"\s+(?:[\w'’-]+\s+){0,2}?(?:internationales?|stratégiques?|étrangères?|mondiales?)\b",
        0.45,
        "The sender presents as a policy institute or research centre, a cover used in published cases.",
    ),
    # --- flou
    Term(
        "lure.vague_client",
        r"\b(?:un|une|notre|mon|nos|mes|l['’]un de nos|l['’]un de mes)\s+(?:[\w'’-]+\s+){0,2}?(?:client|cliente|partenaire)s?\b",
        0.3,
        "The message speaks of an unnamed client or partner, without company facts to verify.",
    ),
    Term(
        "lure.vague_client",
        r"\b(?:clients?|partenaires?|entreprises?|sociétés?|investisseurs?)\s+(?:asiatiques?|chinois\w*|étrangers?|étrangères?)\b",
        0.5,
        "The client or partner is described only by region, not by a name you could verify.",
    ),
    Term(
        "lure.vague_client",
        r"\bne\s+(?:peux|pouvons|suis pas en mesure de|sommes pas en mesure de)\s+(?:pas\s+)?(?:encore\s+)?"
        r"(?:divulguer|révéler|dévoiler|communiquer|donner|citer)\b",
        0.55,
        "The sender says they cannot disclose who the client is.",
    ),
    Term(
        "lure.vague_client",
        r"\b(?:une?)\s+(?:grande?|importante?|prestigieuse?|célèbre|renommée?|influente?)\s+(?:entreprise|société|groupe"
        r"|organisation|institution|client|cabinet)\b",
        0.35,
    ),
    # --- flatterie
    Term(
        "lure.flattery",
        rf"\b(?:impressionn|séduit|fascin|admiratif|admirative|frapp){_E}\w*\s+par\s+(?:votre|vos|ton|tes)\b",
        0.5,
    ),
    Term(
        "lure.flattery",
        r"\b(?:votre|ton)\s+(?:impressionnant|remarquable|riche|excellent|solide|brillant|exceptionnel|parcours|profil"
        r"|expérience|expertise|carrière)\w*\s+(?:[\w'’-]+\s+)?(?:parcours|profil|expérience|expertise|carrière"
        r"|impressionnante?|remarquable|exceptionnelle?|brillante?)\b",
        0.45,
    ),
    Term(
        "lure.flattery",
        r"\b(?:un|une|des)\s+experte?s?\s+(?:comme vous|de votre (?:calibre|niveau|envergure))\b",
        0.45,
    ),
    # --- urgence
    Term(
        "lure.urgency",
        r"\b(?:urgent(?:e|es|s)?|urgemment|au plus vite|dès que possible|immédiatement|sans tarder|sans délai)\b",
        0.4,
    ),
    Term("lure.urgency", r"\b(?:sous|dans les)\s+(?:24|48|72)\s*(?:h|heures)\b", 0.5),
    # --- premier contact
    Term("lure.unsolicited_contact", r"\b(?:je suis|suis)\s+tombée?\s+sur\s+(?:votre|ton)\b", 0.5),
    Term(
        "lure.unsolicited_contact",
        r"\bj['’]ai\s+(?:découvert|vu|consulté|lu|remarqué|parcouru)\s+(?:votre|ton)\s+(?:profil|CV|parcours)\b",
        0.45,
    ),
    Term(
        "lure.unsolicited_contact",
        r"\bpermettez-moi de me présenter\b|\bnous ne nous connaissons pas\b|\bvous ne me connaissez pas\b"
        r"|\b(?:ce|mon) (?:message|courriel|mail) (?:va |pourrait )?vous surprendre\b",
        0.5,
    ),
    Term(
        "lure.unsolicited_contact",
        r"\bje me permets de vous (?:contacter|écrire|solliciter)\b",
        0.35,
    ),
    # --- fichiers piégés
    Term(
        "lure.malware_attachment",
        r"\bmot de passe\s+(?:du|de l'|pour ouvrir le|pour ouvrir l')\s*(?:fichier|document|archive|pièce jointe|zip)\b"
        r"|\b(?:fichier|document|archive)\s+(?:est\s+)?protégée?\s+par\s+(?:un\s+)?mot de passe\b",
        0.75,
        "The contact sends a password-protected file, a way to slip malware past e-mail filters.",
    ),
    # --- secret
    Term(
        "lure.secrecy",
        r"\b(?:en toute|avec la plus grande|la plus stricte)\s+(?:discrétion|confidentialité)\b",
        0.6,
    ),
    Term(
        "lure.secrecy",
        r"\b(?:rester|restera|garder|gardez)\s+(?:strictement\s+)?(?:confidentiel(?:le)?|entre nous|secret)\b",
        0.7,
    ),
    # --- autour de l'employeur, hors de vue
    Term(
        "lure.secrecy",
        r"\b(?:inutile|pas (?:besoin|nécessaire)|nul besoin)\s+(?:de\s+|d['’])\s*(?:passer par|en parler à|informer|prévenir"
        r"|impliquer|mentionner (?:cela )?à)\s+(?:votre|vos)\s+(?:employeur|hiérarchie|supérieurs?|ministère|direction"
        r"|service|collègues|entreprise|administration)\b",
        0.75,
        "The contact suggests keeping your employer out of it, which is how covert tasking starts.",
    ),
    Term(
        "lure.secrecy",
        r"\bne\s+sera\s+pas\s+(?:publiée?s?|signée?s?|attribuée?s?)\s+(?:sous|à)\s+votre\s+nom\b|\bde manière anonyme\b"
        r"|\ben tout anonymat\b",
        0.55,
        "Your work would not carry your name: the client wants the content, not an author.",
    ),
    Term(
        "lure.tasking_report",
        r"\b(?:pas encore|pas encore été|jamais été)\s+(?:publi(?:cs?|ques?)|publiés?|publiées?|annoncée?s?|rendue?s? publique?s?"
        r"|dans la presse|connue?s?)\b|\bavant (?:leur|sa) publication\b",
        0.6,
        "The contact wants information that is not yet public, the kind intelligence services pay for.",
    ),
    Term(
        "lure.offplatform_request",
        r"\b(?:envoy\w+|transmett\w+|adress\w+)\s+(?:le|la|les|ce|cette|votre)?\s*(?:\w+\s+)?(?:directement\s+)?(?:à|sur)\s+"
        r"(?:mon|mon adresse|ma)\s+(?:adresse\s+)?(?:e-?mail|mail|courriel|messagerie|boîte)\s+(?:personnel(?:le)?|privée?|gmail)\b",
        0.6,
        "The contact asks for material to go to a personal e-mail address, away from the platform.",
    ),
    # --- contexte légitime
    Term(
        "ctx.job",
        r"\b(?:salaire|brut annuel|k€|CDI|CDD|télétravail|avantages|missions principales|profil recherché|postuler"
        r"|candidature|offre d['’]emploi|poste|recrute\w*|package)\b",
        1.0,
    ),
    Term(
        "ctx.event",
        r"\b(?:conférence|colloque|intervenante?s?|table ronde|programme|appel à communications|inscription|webinaire)\b",
        1.0,
    ),
    Term(
        "ctx.media",
        r"\b(?:podcast|épisode|émission|auditeurs|journaliste|rédaction|reportage)\b",
        1.0,
    ),
    Term(
        "ctx.publisher",
        r"\b(?:manuscrit|maison d['’]édition|éditeur|éditrice|ouvrage|revue|magazine|tribune)\b",
        1.0,
    ),
    Term("ctx.newsletter", r"\b(?:désinscri\w+|se désabonner|lettre d['’]information)\b", 1.0),
)

NEEDS: dict[str, tuple[str, ...]] = {
    r"\b(?:votre|vos|ton)\s+(?:avis": (
        "avis",
        "regard",
        "analyse",
        "point",
        "éclairage",
        "lecture",
        "expertise",
    ),
    r"\b(?:par|pour chaque": (
        "note",
        "article",
        "analyse",
        "étude",
        "mémo",
        "rapport rédigé",
        "synthèse",
        "consultation",
        "contribution",
    ),
    r"\b(?:serez|seriez": ("rémunér", "payé", "dédommag", "rétribu"),
    r"\b(?:votre|ton|vos)\s+(?:numéro": (
        "numéro",
        "portable",
        "téléphone",
        "mobile",
        "adresse",
        "mail",
        "coordonnées",
    ),
    r"\b(?:continuer|poursuivre": (
        "whatsapp",
        "telegram",
        "wechat",
        "chat",
        "signal",
        "viber",
        "skype",
        "mail",
        "téléphone",
    ),
    r"\b(?:un|une|notre|mon|nos|mes": ("client", "partenaire"),
    r"\b(?:une?)\s+(?:grande?": (
        "entreprise",
        "société",
        "groupe",
        "organisation",
        "institution",
        "client",
        "cabinet",
    ),
    r"\bne\s+(?:peux": ("divulguer", "révéler", "dévoiler", "communiquer", "donner", "citer"),
    r"\b(?:votre|ton)\s+(?:impressionnant": (
        "parcours",
        "profil",
        "expérience",
        "expertise",
        "carrière",
        "remarquable",
        "impressionn",
        "exceptionn",
        "brillant",
    ),
    r"\b(?:un|une|des)\s+experte?s?": ("expert",),
    r"\b(?:je suis|suis)\s+tombé": ("tomb",),
    r"\bj['’]ai\s+(?:découvert": ("profil", "cv", "parcours"),
    r"\bpermettez-moi": ("présenter", "connaissons", "connaissez", "surprendre"),
    r"\bje me permets": ("permets",),
    r"\b(?:en toute|avec la plus": ("discrétion", "confidentialité"),
    r"\b(?:rester|restera|garder": ("confidentiel", "entre nous", "secret"),
    r"\b(?:sous|dans les)": ("24", "48", "72"),
    r"\bfrais\s+(?:d['’]inscription": ("frais", "coordonnées", "rib", "iban", "carte"),
    r"\b(?:habilitation|accréditation)": (
        "habilitation",
        "accréditation",
        "ministère",
        "gouvernement",
        "administration",
        "direction",
        "ambassade",
        "assemblée",
        "armée",
    ),
}
