"""Writes the bundled INVENTED DEMO DATA: a LinkedIn-format archive and a platform feed.

Every person, company, phone number and message here is invented for the demo (names of
real organisations appear only where the threat model cites them as published cover
names). Run from the repository root to regenerate; the output is deterministic:

    .venv/bin/python src/lurewatch/data/sample/generate.py

Writes, next to this script: `linkedin-export/` (the unpacked archive), `linkedin-export.zip`
(the same files, as LinkedIn delivers them) and `feed.jsonl`.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
LI = "https://www.linkedin.com/in/"
OWNER = ("Camille", "Laurent", LI + "demo-camille-laurent")
MINISTRY = "Ministère des Affaires stratégiques (fictitious)"

README = """\
# INVENTED DEMO DATA — not a real LinkedIn archive

Every person, company, phone number, profile URL and message in this folder was invented
for the lurewatch demo by `generate.py`. Any resemblance to real people is accidental.
Organisation names that look real are either published cover names cited in lurewatch's
threat model (used to show the watchlist) or deliberate look-alikes of them.

The files follow the layout of LinkedIn's "Get a copy of your data" export: Profile.csv,
Positions.csv, Connections.csv (with its "Notes:" preamble), Invitations.csv and
messages.csv — with a UTF-8 BOM, HTML entities and multi-line quoted fields, as real
exports have.
"""

# ---------------------------------------------------------------- the member archive

PROFILE_HEADER = [
    "First Name", "Last Name", "Maiden Name", "Address", "Birth Date", "Headline", "Summary",
    "Industry", "Zip Code", "Geo Location", "Twitter Handles", "Websites", "Instant Messengers",
]  # fmt: skip
PROFILE_ROWS = [
    [
        "Camille", "Laurent", "", "", "", "Chargée de mission énergie et sécurité — " + MINISTRY,
        "Energy security, nuclear safety files and EU negotiations.\nINVENTED DEMO PROFILE.",
        "Government Administration", "", "Paris, Île-de-France, France", "", "", "",
    ]
]  # fmt: skip

POSITIONS_HEADER = ["Company Name", "Title", "Description", "Location", "Started On", "Finished On"]
POSITIONS_ROWS = [
    [
        MINISTRY,
        "Chargée de mission énergie et sécurité",
        "Energy security and nuclear files.",
        "Paris",
        "Sep 2021",
        "",
    ],
    [
        "Réseau Électrique Démo SA (fictitious)",
        "Policy analyst",
        "",
        "La Défense",
        "Jan 2017",
        "Aug 2021",
    ],
]

CONNECTIONS_NOTES = (
    "When exporting your connection data, you may notice that some of the email addresses are missing. "
    "You will only see email addresses for connections who have allowed their connections to see or "
    "download their email address using this setting https://www.linkedin.com/psettings/privacy/email. "
    "You can learn more here https://www.linkedin.com/help/linkedin/answer/261"
)
CONNECTIONS_HEADER = [
    "First Name",
    "Last Name",
    "URL",
    "Email Address",
    "Company",
    "Position",
    "Connected On",
]
CONNECTIONS_ROWS = [
    ["Julien", "Moreau", LI + "demo-julien-moreau", "", MINISTRY, "Chef de bureau", "14 Oct 2021"],
    ["Sarah", "Nguyen", LI + "demo-sarah-nguyen", "", MINISTRY, "Adjointe au sous-directeur", "02 Nov 2021"],
    ["Thomas", "Petit", LI + "demo-thomas-petit", "thomas.petit@example.org", "Réseau Électrique Démo SA (fictitious)", "Analyst", "20 Mar 2019"],
    ["Lena", "Hoffmann", LI + "demo-lena-hoffmann", "", "Universität Demostadt (fictitious)", "Wissenschaftliche Mitarbeiterin", "11 Jun 2018"],
    ["Pierre", "Lambert", LI + "demo-pierre-lambert", "", "European Energy Policy Forum (fictitious)", "Programme Director", "05 May 2024"],
    ["Grace", "Lin", LI + "demo-grace-lin-hr", "", "Global View Strategic Consulting Ltd", "HR Consultant", "22 Sep 2026"],
    ["Marc", "Dubois", LI + "demo-marc-dubois", "", "Northwind Énergie (fictitious)", "Directeur réglementaire", "30 Jan 2023"],
]  # fmt: skip

INV_HEADER = [
    "From",
    "To",
    "Sent At",
    "Message",
    "Direction",
    "inviterProfileUrl",
    "inviteeProfileUrl",
]
ME = "Camille Laurent"
# (from, from url, sent at, message, direction)
INVITATIONS = [
    (
        "Grace Lin", "demo-grace-lin-hr", "9/21/26, 8:12 AM",
        "Dear Camille, I came across your impressive profile. I am an HR consultant for a think tank that "
        "prepares short reports on European policy developments for a client in Asia. We offer a generous "
        "fee (USD 2,000 per report) and would love to connect!",
        "INCOMING",
    ),
    (
        "Kevin Wu", "demo-kevin-wu-talent", "10/2/26, 7:45 PM",
        "Hello Camille, I am a head hunter working for Global Vision Strategic Consulting. Our client in Asia "
        "is looking for an expert with your background for a well-paid part-time consultancy. Could we "
        "continue on WhatsApp? +852 5550 0142",
        "INCOMING",
    ),
    (
        "Élodie Marchand", "demo-elodie-marchand", "10/9/26, 10:03 AM",
        "Bonjour Camille, je suis chasseuse de têtes pour un cabinet international. Mon client, basé en "
        "Asie, organise un séminaire à Shanghai tous frais payés (vol, hôtel) et souhaiterait vous "
        "rencontrer pour une mission de conseil très bien rémunérée. Pouvons-nous poursuivre sur WeChat ?",
        "INCOMING",
    ),
    (
        "Stefan Krüger", "demo-stefan-krueger", "10/15/26, 3:30 PM",
        "Sehr geehrte Frau Laurent, ich bin Berater für eine unabhängige Denkfabrik. Wir suchen Experten "
        "für kurze Analysen zu nicht öffentlichen politischen Entwicklungen (Honorar 3.000 EUR pro "
        "Bericht). Können wir auf Telegram weiterschreiben?",
        "INCOMING",
    ),
    (
        "Sophie Chen", "demo-sophie-chen-research", "10/28/26, 6:05 AM",
        "Hi Camille, our client in Asia would value your insight on upcoming EU energy policy. Discreet, "
        "well paid, flexible. Let me know if you're interested.",
        "INCOMING",
    ),
    ("Hannah Becker", "demo-hannah-becker", "10/30/26, 11:20 AM", "", "INCOMING"),
    (
        "Lucas Fontaine", "demo-lucas-fontaine", "11/2/26, 9:41 AM",
        "Bonjour Camille, nous étions ensemble au séminaire de l'ENA en 2019 — ravi de te retrouver ici !",
        "INCOMING",
    ),
    (
        "Anja Weiß", "demo-anja-weiss", "11/5/26, 2:14 PM",
        "Hallo Frau Laurent, ich leite das Recruiting bei Stadtwerke Demohausen (fiktiv). Wir suchen eine "
        "Leitung Regulierung (unbefristet, 90.000–100.000 EUR, Standort München). Hätten Sie Interesse an "
        "einem Gespräch mit unserem Geschäftsführer?",
        "INCOMING",
    ),
    (ME, "demo-camille-laurent", "11/6/26, 5:00 PM", "", "OUTGOING"),
    (
        ME, "demo-camille-laurent", "11/8/26, 8:30 AM",
        "Hello Pierre, great panel last year — happy to stay in touch.",
        "OUTGOING",
    ),
]  # fmt: skip
INVITEES_OUT = {
    "11/6/26, 5:00 PM": ("Lena Hoffmann", "demo-lena-hoffmann"),
    "11/8/26, 8:30 AM": ("Pierre Lambert", "demo-pierre-lambert"),
}

MSG_HEADER = [
    "CONVERSATION ID", "CONVERSATION TITLE", "FROM", "SENDER PROFILE URL", "TO", "RECIPIENT PROFILE URLS",
    "DATE", "SUBJECT", "CONTENT", "FOLDER", "ATTACHMENTS",
]  # fmt: skip
# (conversation, title, from, from slug, date, subject, content, folder)
MESSAGES = [
    (
        "2-R3JhY2VMaW4tZGVtbw==", "", "Grace Lin", "demo-grace-lin-hr", "2026-09-23 07:58:31 UTC", "",
        "Thank you for accepting my invitation, Camille!\n\nMy client (a research institute in Asia) would pay "
        "USD 2,000 for a 5-page paper on the EU&#39;s position before the energy summit. Your internal "
        "perspective is what makes it valuable.\n\nIt would be easier to discuss the details on WhatsApp &amp; "
        "I can send the contract there: +852 5550 0199.",
        "INBOX",
    ),
    (
        "2-R3JhY2VMaW4tZGVtbw==", "", ME, "demo-camille-laurent", "2026-09-23 18:02:10 UTC", "",
        "Thank you, but I will check with my security officer first.", "SENT",
    ),
    (
        "2-R3JhY2VMaW4tZGVtbw==", "", "Grace Lin", "demo-grace-lin-hr", "2026-09-24 06:40:55 UTC", "",
        "No need to involve anyone, it is just an informal exchange between experts :) We can also invite you "
        "to a seminar in Singapore, all expenses paid (business-class flights and 5-star hotel).",
        "INBOX",
    ),
    (
        "2-S2V2aW5XdS1kZW1v", "Confidential consulting opportunity", "Kevin Wu", "demo-kevin-wu-talent",
        "2026-10-03 11:15:00 UTC", "Confidential consulting opportunity",
        "Dear Camille,\nthis is a confidential opportunity: a short report every month on policy developments "
        "in your ministry, paid 3,000 USD each. Please reply on Telegram (@demo_kwu_consult), LinkedIn is "
        "not secure.",
        "INBOX",
    ),
    (
        "2-RWxvZGllLWRlbW8=", "", "Élodie Marchand", "demo-elodie-marchand", "2026-10-10 09:12:44 UTC", "",
        "Bonjour Camille,\nmerci pour votre retour. Mon client est un centre de recherche asiatique "
        "très réputé ; il prend en charge le voyage et l'hébergement. Voici mon numéro WhatsApp : "
        "+33 6 00 00 00 00. Pouvez-vous m'envoyer une courte note sur la position française ?",
        "INBOX",
    ),
    (
        "2-SGFubmFoLWRlbW8=", "", "Hannah Becker", "demo-hannah-becker", "2026-10-31 10:05:00 UTC", "",
        "Hi Camille, I'm a recruiter at Northwind Énergie in Lyon. We're hiring a Head of Regulatory Affairs: "
        "permanent contract, 85–95k EUR plus bonus, hybrid (2 days remote). The job ad is on our careers page "
        "(northwind-energie.example/careers/1042). The hiring manager, Marc Dubois, would be happy to have a "
        "call — would next Tuesday suit you?",
        "INBOX",
    ),
    (
        "2-UGllcnJlLWRlbW8=", "Speaker invitation — EEPF annual conference", "Pierre Lambert",
        "demo-pierre-lambert", "2026-11-04 15:22:18 UTC", "",
        "Dear Ms Laurent,\non behalf of the European Energy Policy Forum, organised with Universität Demostadt, "
        "I am pleased to invite you to speak on panel 3 (\"Grid security\") at our annual conference in Vienna "
        "on 12 May. As for every speaker, travel and accommodation are covered under our published speaker "
        "policy; the full programme is on eepf.example.org. Please confirm with your press office.",
        "INBOX",
    ),
    (
        "2-SnVsaWVuLWRlbW8=", "", "Julien Moreau", "demo-julien-moreau", "2026-11-05 08:47:03 UTC", "",
        "Salut Camille, tu peux me renvoyer la note de synthèse pour la réunion de mardi ? Merci !", "INBOX",
    ),
    (
        "2-SnVsaWVuLWRlbW8=", "", ME, "demo-camille-laurent", "2026-11-05 09:02:40 UTC", "",
        "C'est envoyé sur la messagerie interne.", "SENT",
    ),
    (
        "2-TGVuYS1kZW1v", "", "Lena Hoffmann", "demo-lena-hoffmann", "2026-11-07 12:30:00 UTC", "",
        "Hallo Camille, schön, dass wir uns wieder vernetzt haben! Kommst du im Juni zum Workshop an der "
        "Universität Demostadt?",
        "INBOX",
    ),
    (
        "2-U3BvbnNvcmVkLWRlbW8=", "Sponsored Conversation", "Demo Cloud Academy", "", "2026-11-09 16:00:00 UTC",
        "Free webinar: cloud security for public bodies",
        "Join our free webinar on cloud security for public administrations, 3 December, online.", "INBOX",
    ),
    (
        "2-U29waGllLWRlbW8=", "", "Sophie Chen", "demo-sophie-chen-research", "2026-11-10 05:55:12 UTC", "",
        "Hi again Camille! As a research fellow I exchange with many experts; a short, informal view on the "
        "ministry&#39;s internal discussions would already help my client. We pay promptly via PayPal.",
        "INBOX",
    ),
]  # fmt: skip


def _csv_bytes(
    header: list[str], rows: list[list[str]], *, bom: bool = False, preamble: str = ""
) -> bytes:
    buf = io.StringIO()
    buf.write(preamble)
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return (b"\xef\xbb\xbf" if bom else b"") + buf.getvalue().encode("utf-8")


def archive_files() -> dict[str, bytes]:
    inv_rows = []
    for name, slug, sent_at, text, direction in INVITATIONS:
        if direction == "OUTGOING":
            to_name, to_slug = INVITEES_OUT[sent_at]
            inv_rows.append([ME, to_name, sent_at, text, direction, LI + slug, LI + to_slug])
        else:
            inv_rows.append([name, ME, sent_at, text, direction, LI + slug, OWNER[2]])
    msg_rows = []
    for conv, title, name, slug, date, subject, content, folder in MESSAGES:
        if folder == "SENT":
            other = next(m for m in MESSAGES if m[0] == conv and m[7] != "SENT")
            to, to_url = other[2], LI + other[3]
        else:
            to, to_url = ME, OWNER[2]
        msg_rows.append(
            [
                conv,
                title,
                name,
                LI + slug if slug else "",
                to,
                to_url,
                date,
                subject,
                content,
                folder,
                "",
            ]
        )
    preamble_buf = io.StringIO()
    csv.writer(preamble_buf, lineterminator="\n").writerow([CONNECTIONS_NOTES])
    return {
        "README.md": README.encode("utf-8"),
        "Profile.csv": _csv_bytes(PROFILE_HEADER, PROFILE_ROWS),
        "Positions.csv": _csv_bytes(POSITIONS_HEADER, POSITIONS_ROWS),
        "Connections.csv": _csv_bytes(
            CONNECTIONS_HEADER,
            CONNECTIONS_ROWS,
            preamble="Notes:\n" + preamble_buf.getvalue() + "\n",
        ),
        "Invitations.csv": _csv_bytes(INV_HEADER, inv_rows, bom=True),
        "messages.csv": _csv_bytes(MSG_HEADER, msg_rows, bom=True),
    }


# ---------------------------------------------------------------- the platform feed

ORG = "Ministry of Strategic Affairs (fictitious)"
TARGETS = [
    ("demo-ana-ribeiro", "Ana Ribeiro", "Deputy Director, Energy Security"),
    ("demo-bruno-keller", "Bruno Keller", "Nuclear Safety Advisor"),
    ("demo-chloe-martin", "Chloé Martin", "Policy Officer, EU Affairs"),
    ("demo-david-okafor", "David Okafor", "Head of Cyber Resilience"),
    ("demo-eva-lindqvist", "Eva Lindqvist", "Senior Analyst, Asia Desk"),
    ("demo-farid-haddad", "Farid Haddad", "Telecoms Regulation Officer"),
    ("demo-greta-novak", "Greta Novak", "Defence Procurement Officer"),
    ("demo-hugo-renard", "Hugo Renard", "Press Officer"),
]

FAKES: list[dict[str, Any]] = [
    {
        "id": "li:in/demo-lina-zhou", "name": "Lina Zhou", "username": "demo-lina-zhou",
        "headline": "Senior Research Fellow | International Politics | Think Tank",
        "title": "Senior Research Fellow", "company": "China Center of International Politics and Economy",
        "location": "Hong Kong", "about": "Passionate about connecting experts worldwide. Open to collaboration.",
        "created_at": "2026-08-14T00:00:00Z", "connections": 214, "followers": 230, "following": 1900,
        "posts": 0, "has_photo": True, "experiences": [],
    },
    {
        "id": "li:in/demo-grace-lin-hr", "name": "Grace Lin", "username": "demo-grace-lin-hr",
        "headline": "HR Consultant | Head Hunter | Global Talent", "title": "HR Consultant",
        "company": "Global View Strategic Consulting Ltd", "location": "Singapore",
        "about": "Helping our clients find the best experts.", "created_at": "2026-07-30T00:00:00Z",
        "connections": 512, "followers": 520, "following": 2400, "posts": 1, "has_photo": True,
        "experiences": [{"title": "Recruiter", "company": "Fashion Models Agency", "started": "2019"}],
    },
    {
        "id": "li:in/demo-kevin-wu-talent", "name": "Kevin Wu", "username": "demo-kevin-wu-talent",
        "headline": "Head Hunter at Global Vision Strategic Consulting", "title": "Head Hunter",
        "company": "Global Vision Strategic Consulting", "location": "Hong Kong", "about": "",
        "created_at": "2026-09-02T00:00:00Z", "connections": 88, "followers": 90, "following": 1200,
        "posts": 0, "has_photo": False, "experiences": [],
    },
    {
        "id": "li:in/demo-sophie-chen-research", "name": "Sophie Chen", "username": "demo-sophie-chen-research",
        "headline": "Research Fellow, Center for Euro-Asia Development Studies", "title": "Research Fellow",
        "company": "Center for Euro-Asia Development Studies", "location": "Beijing",
        "about": "Research on international relations. Looking for experts to exchange views.",
        "created_at": "2026-05-21T00:00:00Z", "connections": 301, "followers": 310, "following": 2100,
        "posts": 2, "has_photo": False, "experiences": [{"title": "Research Fellow", "company": "Center for Euro-Asia Development Studies", "started": "2026"}],
    },
    {
        "id": "li:in/demo-daniel-moreau-hr", "name": "Daniel Moreau", "username": "demo-daniel-moreau-hr",
        "headline": "Talent Partner — Rise HR Consulting", "title": "Talent Partner",
        "company": "Rise HR Consulting", "location": "Paris", "about": "Consultant en recrutement international.",
        "created_at": "2026-09-18T00:00:00Z", "connections": 45, "followers": 47, "following": 800,
        "posts": 0, "has_photo": True, "experiences": [],
    },
]  # fmt: skip

GENUINE: list[dict[str, Any]] = [
    {
        "id": "li:in/demo-hannah-becker", "name": "Hannah Becker", "username": "demo-hannah-becker",
        "headline": "Senior Recruiter at Northwind Énergie — we're hiring!", "title": "Senior Recruiter",
        "company": "Northwind Énergie (fictitious)", "location": "Lyon",
        "about": "Recruiting regulatory and grid talent for Northwind Énergie since 2018. Ask me about our open roles.",
        "created_at": "2014-03-02T00:00:00Z", "connections": 2800, "followers": 3400, "following": 410,
        "posts": 260, "has_photo": True,
        "experiences": [
            {"title": "Senior Recruiter", "company": "Northwind Énergie (fictitious)", "started": "2018"},
            {"title": "Recruiter", "company": "Demo Staffing Group (fictitious)", "started": "2013", "ended": "2018"},
        ],
        "education": ["Université Lumière Lyon 2"], "skills": ["Recruiting", "Energy", "Employer branding"],
    },
    {
        "id": "li:in/demo-pierre-lambert", "name": "Pierre Lambert", "username": "demo-pierre-lambert",
        "headline": "Programme Director, European Energy Policy Forum", "title": "Programme Director",
        "company": "European Energy Policy Forum (fictitious)", "location": "Vienna",
        "about": "I run the EEPF annual conference programme. Speakers are listed on our public site.",
        "created_at": "2011-06-11T00:00:00Z", "connections": 4100, "followers": 5200, "following": 600,
        "posts": 410, "has_photo": True,
        "experiences": [{"title": "Programme Director", "company": "European Energy Policy Forum (fictitious)", "started": "2016"}],
    },
]  # fmt: skip

LURE_EN = (
    "{greet} {first}, I came across your impressive profile{punct} I work for a think tank that prepares short "
    "reports on policy developments for a client in Asia. We offer a generous fee (USD 2,000 per report){extra}. "
    "Could we continue on WhatsApp? It is more convenient."
)
LURE_FR = (
    "Bonjour {first}, votre profil m'a beaucoup impressionné{punct} Notre client en Asie cherche des experts pour "
    "de courtes analyses sur les évolutions politiques, très bien rémunérées (2 000 USD par note), avec un "
    "séminaire à Shanghai tous frais payés. Pouvons-nous continuer sur WeChat ?"
)
LURE_DE = (
    "Sehr geehrte/r {first}, Ihr Profil hat mich sehr beeindruckt. Für einen Kunden in Asien suchen wir Experten "
    "für kurze Analysen zu politischen Entwicklungen (Honorar 3.000 EUR pro Bericht). Können wir auf Signal "
    "weiterschreiben?"
)


def feed_records() -> list[dict]:
    out: list[dict] = []
    for slug, name, title in TARGETS:
        out.append(
            {
                "kind": "account", "id": "li:in/" + slug, "name": name, "username": slug,
                "profile_url": LI + slug, "headline": f"{title} at {ORG}", "title": title, "company": ORG,
                "location": "Paris", "created_at": f"20{12 + len(name) % 7}-0{1 + len(slug) % 9}-15T00:00:00Z",
                "connections": 300 + 37 * len(name), "followers": 320 + 41 * len(name), "following": 280,
                "posts": 20 + len(slug), "has_photo": True,
                "experiences": [{"title": title, "company": ORG, "started": "2019"}],
            }
        )  # fmt: skip
    for acc in FAKES + GENUINE:
        out.append({"kind": "account", "profile_url": LI + acc["username"], **acc})
    out.sort(key=lambda r: r["id"])

    msgs: list[dict] = []
    variants = [
        ("li:in/demo-lina-zhou", "Dear", ".", ""),
        ("li:in/demo-grace-lin-hr", "Hello", "!", " and cover your travel"),
        ("li:in/demo-lina-zhou", "Dear", "!", ""),
        ("li:in/demo-kevin-wu-talent", "Hi", ".", ", paid within a week"),
        ("li:in/demo-grace-lin-hr", "Dear", ".", ""),
        ("li:in/demo-kevin-wu-talent", "Hello", ".", ""),
    ]
    for i, ((sender, greet, punct, extra), (slug, name, _)) in enumerate(
        zip(variants, TARGETS, strict=False)
    ):
        msgs.append(
            {
                "kind": "message", "id": f"feed:msg/{i + 1:03d}", "sender": sender,
                "recipients": ["li:in/" + slug], "sent_at": f"2026-10-{10 + i:02d}T09:{10 + i:02d}:00Z",
                "channel": "invitation" if i % 2 == 0 else "inmail",
                "text": LURE_EN.format(greet=greet, first=name.split()[0], punct=punct, extra=extra),
            }
        )  # fmt: skip
    for i, slug in enumerate(("demo-chloe-martin", "demo-hugo-renard", "demo-farid-haddad")):
        first = next(n for s, n, _ in TARGETS if s == slug).split()[0]
        msgs.append(
            {
                "kind": "message", "id": f"feed:msg/{101 + i}", "sender": "li:in/demo-daniel-moreau-hr",
                "recipients": ["li:in/" + slug], "sent_at": f"2026-10-2{i}T14:00:00Z", "channel": "message",
                "text": LURE_FR.format(first=first, punct="." if i else " !"),
            }
        )  # fmt: skip
    for i, slug in enumerate(("demo-bruno-keller", "demo-greta-novak")):
        first = next(n for s, n, _ in TARGETS if s == slug).split()[0]
        msgs.append(
            {
                "kind": "message", "id": f"feed:msg/{201 + i}", "sender": "li:in/demo-sophie-chen-research",
                "recipients": ["li:in/" + slug], "sent_at": f"2026-11-0{1 + i}T07:30:00Z", "channel": "inmail",
                "subject": "Kurze Anfrage", "text": LURE_DE.format(first=first),
            }
        )  # fmt: skip
    msgs += [
        {
            "kind": "message", "id": "feed:msg/301", "sender": "li:in/demo-hannah-becker",
            "recipients": ["li:in/demo-eva-lindqvist"], "sent_at": "2026-10-12T10:00:00Z", "channel": "inmail",
            "subject": "Head of Regulatory Affairs — Lyon",
            "text": "Hi Eva, I'm a recruiter at Northwind Énergie. We are hiring a Head of Regulatory Affairs in Lyon: "
            "permanent contract, 85–95k EUR, hybrid. The ad is on our careers page; the hiring manager is Marc "
            "Dubois. Would you like to have a call this week?",
        },
        {
            "kind": "message", "id": "feed:msg/302", "sender": "li:in/demo-pierre-lambert",
            "recipients": ["li:in/demo-ana-ribeiro", "li:in/demo-david-okafor"], "sent_at": "2026-11-03T16:00:00Z",
            "channel": "message",
            "text": "Dear Ana, dear David, the European Energy Policy Forum would be honoured to have you on our grid "
            "security panel in Vienna on 12 May. Travel and accommodation are covered under our published speaker "
            "policy, and the programme is public on our website. Please loop in your press office.",
        },
        {
            "kind": "message", "id": "feed:msg/303", "sender": "li:in/demo-ana-ribeiro",
            "recipients": ["li:in/demo-bruno-keller"], "sent_at": "2026-11-04T08:00:00Z", "channel": "message",
            "text": "Bruno, can you send me the updated briefing before Tuesday's meeting? Thanks.",
        },
        {
            "kind": "message", "id": "feed:msg/304", "sender": "li:in/demo-eva-lindqvist",
            "recipients": ["li:in/demo-hannah-becker"], "sent_at": "2026-10-13T09:00:00Z", "channel": "message",
            "text": "Thanks Hannah, I'm not looking right now but I'll keep it in mind.",
        },
    ]  # fmt: skip
    out += msgs

    edges: list[dict] = []

    def edge(src: str, typ: str, dst: str, at: str) -> None:
        edges.append({"kind": "edge", "src": src, "dst": dst, "type": typ, "at": at})

    fake_ids = [f["id"] for f in FAKES]
    # One edge per invitation, its latest state: accepted, ignored, or still pending ("sent").
    outcome = [
        "invitation_accepted",
        "invitation_ignored",
        "invitation_ignored",
        "invitation_sent",
        "invitation_ignored",
    ]
    for i, fid in enumerate(fake_ids):
        for j, (slug, _, _) in enumerate(TARGETS):
            if (i + j) % 3 == 2:
                continue
            at = f"2026-{9 + (i + j) % 2:02d}-{1 + (i * 5 + j) % 27:02d}T10:00:00Z"
            edge(fid, outcome[(i + j) % 5], "li:in/" + slug, at)
    for a, b in zip(fake_ids, fake_ids[1:], strict=False):  # sock puppets vouch for each other
        edge(a, "connection", b, "2026-09-01T00:00:00Z")
    for j, (slug, _, _) in enumerate(TARGETS):  # colleagues know each other
        for slug2, _, _ in TARGETS[j + 1 : j + 3]:
            edge("li:in/" + slug, "connection", "li:in/" + slug2, "2020-01-15T00:00:00Z")
    edge(
        "li:in/demo-hannah-becker", "connection", "li:in/demo-eva-lindqvist", "2021-05-04T00:00:00Z"
    )
    edge(
        "li:in/demo-pierre-lambert", "connection", "li:in/demo-ana-ribeiro", "2019-05-12T00:00:00Z"
    )
    edge(
        "li:in/demo-pierre-lambert", "connection", "li:in/demo-david-okafor", "2022-05-12T00:00:00Z"
    )
    out += edges
    return out


def write(target: Path = HERE) -> None:
    files = archive_files()
    folder = target / "linkedin-export"
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    with zipfile.ZipFile(target / "linkedin-export.zip", "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=(2026, 11, 20, 12, 0, 0))
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    lines = [json.dumps(r, ensure_ascii=False, sort_keys=False) for r in feed_records()]
    (target / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    write()
