"""English lure lexicon."""

from __future__ import annotations

from lurewatch.signals.lexicons import Term
from lurewatch.signals.lexicons.shared import RISK_PLACES

_W = r"(?:[\w'’-]+\s+)"  # one word and its trailing blank
_WORK = (
    r"(?:collaborations?|cooperation|partnerships?|consult\w*|engagements?|projects?|opportunit(?:y|ies)"
    r"|research|work|assignments?|advisory|roles?|tasks?|positions?)"
)
_PAYWORD = r"(?:paid|remunerated|compensated|rewarded)"

TERMS: tuple[Term, ...] = (
    # --- money offered
    Term(
        "lure.paid_collaboration",
        rf"\b(?:well[- ]|highly |generously |handsomely )?{_PAYWORD}\s+{_W}?{_WORK}",
        0.6,
    ),
    Term(
        "lure.paid_collaboration",
        r"\bgenerous(?:ly)?\s+(?:fees?|compensation|remuneration|honorari\w+|pay|payment|reward\w*|paid|compensated"
        r"|remunerated|stipend|budget|package)\b",
        0.8,
        "The message promises generous pay, a classic hook of recruitment approaches.",
    ),
    Term("lure.paid_collaboration", r"\bhonorari(?:um|a|ums)\b", 0.5),
    Term(
        "lure.paid_collaboration",
        r"\b(?:we|they|I|our clients?|the client|would|will|can|could)(?:'ll|’ll|\s+will|\s+would|\s+can|\s+could)?\s+"
        r"(?:also\s+)?(?:pay|compensate|reward|remunerate)\s+you\b",
        0.6,
    ),
    Term(
        "lure.paid_collaboration",
        r"\b(?:pays?|paying)\s+(?:very\s+|really\s+|extremely\s+)?(?:well|generously|handsomely)\b",
        0.65,
        "The message promises generous pay, a classic hook of recruitment approaches.",
    ),
    Term(
        "lure.paid_collaboration",
        r"\b(?:consulting|consultancy|advisory|writing|research|expert)\s+fees?\b",
        0.55,
    ),
    Term(
        "lure.paid_collaboration",
        r"\b(?:per|for each|for every|each)\s+(?:short\s+)?(?:report|paper|article|analysis|essay|briefing|memo|note"
        r"|piece|study|consultation|call)\b",
        0.7,
        "Payment is offered per report, paper or consultation, the pattern of paid 'analysis' tasking.",
    ),
    Term(
        "lure.paid_collaboration",
        rf"\b(?:will|would|shall|could)\s+(?:be\s+)?(?:well |handsomely |generously |fully |highly )?{_PAYWORD}\b",
        0.5,
    ),
    Term("lure.paid_collaboration", r"\b(?:extra|additional|side|passive)\s+income\b", 0.55),
    Term(
        "lure.paid_collaboration",
        r"\b(?:financial|monetary)\s+(?:reward|compensation|incentive)s?\b",
        0.55,
    ),
    Term("lure.paid_collaboration", r"\b(?:remuneration|compensation)\b", 0.3),
    Term(
        "lure.paid_easy_money",
        r"\b(?:earn|make|making|earning)\s+(?:up\s+to\s+|over\s+|at\s+least\s+)?(?:[$€£]|\d)[^\n]{0,25}?\b"
        r"(?:per|a|each|every)\s+(?:day|week|hour|month)\b",
        0.7,
        "Easy earnings per day or week are promised, typical of job scams.",
    ),
    Term(
        "lure.paid_easy_money",
        r"\b(?:no (?:prior )?experience (?:is )?(?:needed|required|necessary)|work (?:from|at) home|be your own boss"
        r"|flexible hours and high pay|data entry (?:clerk|job|work|position)s?|get paid to"
        r"|from the comfort of (?:your|their) (?:own )?homes?)\b",
        0.45,
        "The offer promises easy work from home without experience, typical of job scams.",
    ),
    Term(
        "lure.paid_easy_money",
        r"\b(?:reship(?:ping|per)?|repackag(?:e|ing)|package forwarding|receive (?:and (?:re)?ship )?packages"
        r"|mystery shoppers?|payment processing agent|process payments for)\b",
        0.6,
        "The job is to receive parcels or pass on payments, the pattern of money-mule and reshipping scams.",
    ),
    Term(
        "lure.paid_upfront",
        r"\b(?:registration|processing|application|training|starter kit|administrative|transfer|clearance)\s+fees?\b"
        r"|\b(?:send|provide|forward)\s+(?:us\s+|me\s+)?(?:your\s+)?(?:bank (?:account )?details|account number"
        r"|social security|ssn|passport (?:copy|details)|credit card)"
        r"|\b(?:send|mail|issue)\s+you\s+a\s+(?:check|cheque)\b|\b(?:purchase|buy)\s+(?:the\s+|your\s+)?"
        r"(?:equipment|software|laptop|supplies)\s+from\s+(?:our|the|a)\s+(?:approved\s+)?(?:vendor|supplier)",
        0.65,
        "The contact asks for money or bank or identity details up front, typical of job and advance-fee scams.",
    ),
    Term(
        "lure.paid_windfall",
        r"\b(?:next of kin|dormant account|(?:transfer|release) (?:of )?(?:the )?(?:sum|funds|fund)"
        r"|unclaimed (?:funds|fund|inheritance)|(?:business|investment) proposal|million (?:us )?(?:dollars|usd|euros)"
        r"|lottery|you have (?:been selected|won))\b",
        0.6,
        "A windfall (an inheritance, a fund transfer, a prize) is dangled, the pattern of advance-fee fraud.",
    ),
    # --- hosted travel
    Term("lure.travel_expenses", r"\ball[- ]expenses?[- ](?:paid|covered|included)\b", 0.8),
    Term(
        "lure.travel_expenses",
        r"\b(?:travel|travelling|traveling|trip|flights?|airfare|plane tickets?|accommodation|hotel|lodging|visa"
        r"|expenses|costs)\b(?:[\s,&]+(?:and\s+)?(?:[\w-]+\s+){0,2}?(?:accommodation|hotel|expenses|costs|flights?"
        r"|visa|meals|lodging|travel))*\s+(?:will\s+be\s+|are\s+|is\s+|would\s+be\s+|to\s+be\s+|being\s+)?"
        r"(?:fully\s+|all\s+|entirely\s+)?(?:covered|paid|reimbursed|taken care of|sponsored|funded|on us)\b",
        0.6,
    ),
    Term(
        "lure.travel_expenses",
        r"\b(?:cover(?:s|ing)?|pay(?:s|ing)? for|reimburs(?:e|es|ing)|sponsor(?:s|ing)?|takes? care of|funds?"
        r"|arrang(?:e|es|ing))\s+(?:all\s+)?(?:of\s+)?(?:the\s+|your\s+)?(?:travel|trip|flights?|airfare|expenses|costs"
        r"|accommodation|hotel|visa)",
        0.6,
    ),
    Term(
        "lure.travel_expenses",
        r"\b(?:free|complimentary|fully[- ]funded|paid)\s+(?:trip|travel|flights?|visit|stay)\b",
        0.7,
    ),
    Term(
        "lure.travel_abroad",
        rf"\b(?:trip|visit|travel|journey|fly|flight|come|invite you)\s+(?:\w+\s+){{0,2}}?to\s+(?:{RISK_PLACES})\b",
        0.6,
        "The message proposes a trip to a country where a hosted visit puts the guest under a foreign service's control.",
    ),
    Term(
        "lure.travel_abroad",
        rf"\b(?:seminars?|workshops?|conferences?|symposi(?:um|a)|forums?|meetings?|negotiations?|exchanges?|events?)"
        rf"\s+(?:\w+\s+){{0,2}}?(?:in|at)\s+(?:{RISK_PLACES})\b",
        0.6,
        "The message proposes a seminar or meeting in a country where a hosted visit puts the guest under a foreign service's control.",
    ),
    Term(
        "lure.travel_abroad",
        r"\b(?:meet|meeting|visit|travel|trip|seminar|conference|event|workshop)\b[^.\n]{0,40}?\b(?:abroad|overseas)\b",
        0.45,
    ),
    Term(
        "lure.travel_abroad",
        r"\b(?:client|customer)\s+(?:meeting|visit)s?\b|\bmeet (?:with )?(?:the|our|my) client\b",
        0.4,
        "A meeting with an unnamed client is proposed, a step used to bring targets to a handler.",
    ),
    Term("lure.travel_abroad", r"\binvite you to (?:visit|come to|travel to|join us in)\b", 0.4),
    # --- off-platform
    Term(
        "lure.offplatform_request",
        r"\b(?:your|ur)\s+(?:personal\s+|private\s+|mobile\s+|cell\s+|direct\s+|whatsapp\s+|telegram\s+|wechat\s+)+"
        r"(?:phone|mobile|cell|number|e-?mail|email address|contact|account|id)\b",
        0.4,
        "The contact asks for a personal phone number, e-mail or messaging account, to move off the platform.",
    ),
    Term(
        "lure.offplatform_request",
        r"\b(?:share|send|give|provide|leave|drop|what(?:['’]s| is))\s+(?:me\s+|us\s+)?(?:your|ur)\s+"
        r"(?:phone|mobile|cell|telephone|contact)?\s*(?:number|e-?mail|email address|contact details|whatsapp|wechat|telegram)\b",
        0.35,
        "The contact asks for a phone number or e-mail address, to move off the platform.",
    ),
    Term(
        "lure.offplatform_request",
        r"\b(?:continue|talk|chat|speak|discuss|connect|move|switch|reach me|contact me|add me|text me|message me"
        r"|write to me|let['’]?s talk)\b[^.\n]{0,30}?\b(?:on|via|over|through|by)\s+(?:whats\s?app|telegram|we\s?chat"
        r"|signal|viber|skype|private (?:message|channel))\b",
        0.7,
        "The contact asks to continue the conversation on another channel, away from the platform's protections.",
    ),
    Term(
        "lure.offplatform_request",
        r"\b(?:off(?:-| )(?:the )?(?:platform|linkedin)|outside (?:of )?(?:linkedin|this platform))\b",
        0.6,
    ),
    Term(
        "lure.offplatform_request",
        r"\binterview\w*\s+(?:[\w-]+\s+){0,4}?(?:on|via|over|through)\s+(?:whats\s?app|telegram|we\s?chat|signal|wickr"
        r"|viber|(?:google\s+)?hangouts|text(?: message)?|chat)\b",
        0.8,
        "The 'interview' is to happen on a chat app, a hallmark of fake recruiters and job scams.",
    ),
    # --- tasking
    Term(
        "lure.tasking_report",
        r"\b(?:write|writing|prepare|preparing|draft|drafting|produce|provide|deliver|submit|compose|contribute)\s+"
        r"(?:[\w-]+\s+){0,3}?(?:reports?|papers?|analys[ie]s|articles?|briefings?|briefs?|assessments?|memos?"
        r"|white ?papers?|essays?|studies|commentar(?:y|ies)|insights?)\b",
        0.45,
    ),
    Term(
        "lure.tasking_report",
        r"\b(?:insights?|perspectives?|views?|analys[ie]s|information|knowledge|understanding|opinions?|thoughts|assessments?)"
        r"\s+(?:[\w-]+\s+){0,2}?(?:on|into|about|regarding|of)\s+(?:[\w'’.-]+\s+){0,3}?(?:polic(?:y|ies)|government"
        r"|ministr(?:y|ies)|defen[cs]e|military|security|internal|strategic|regulatory|political|diplomatic|trade"
        r"|decision[- ]making|sanctions|negotiations?|white house|parliament|eu|nato)\b",
        0.6,
        "The contact wants insight into policy, government or security matters, the subject of intelligence tasking.",
    ),
    Term(
        "lure.tasking_report",
        r"\b(?:non[- ]public|internal|confidential|inside|insider|classified|sensitive|restricted|unpublished"
        r"|behind[- ]the[- ]scenes|first[- ]hand)\s+(?:[\w-]+\s+)?(?:information|perspectives?|insights?|views?|knowledge"
        r"|documents?|details|matters|developments|discussions|deliberations|data|view)\b",
        0.5,
        "The message talks about non-public, internal or confidential information.",
    ),
    Term(
        "lure.tasking_report",
        r"\b(?:share|provide|give|obtain|access|interested in|looking for|value|need|want|seek(?:ing)?|appreciate"
        r"|your)\s+(?:[\w-]+\s+){0,3}?(?:non[- ]public|internal|confidential|inside|insider|classified|sensitive"
        r"|restricted|unpublished|behind[- ]the[- ]scenes|first[- ]hand)\s+(?:[\w-]+\s+)?(?:information|perspectives?"
        r"|insights?|views?|knowledge|documents?|details|matters|developments|discussions|deliberations|data|view)\b",
        0.85,
        "The contact asks for non-public, internal or confidential information.",
    ),
    Term(
        "lure.tasking_report",
        r"\bpolicy\s+(?:developments?|trends|making|directions?|insights?|analysis|papers?)\b",
        0.5,
    ),
    Term(
        "lure.tasking_report",
        r"\b(?:latest|recent|current|internal|future)\s+(?:developments?|situation|thinking|trends|debates?|discussions?)"
        r"\s+(?:in|of|on|regarding|about|within)\s+(?:[\w'’-]+\s+){0,4}?(?:polic(?:y|ies)|government|ministry|defen[cs]e"
        r"|military|security|strategy|politics|relations|administration|parliament)\b",
        0.55,
        "The contact wants to follow developments in policy, government or security, the subject of intelligence tasking.",
    ),
    Term(
        "lure.tasking_report",
        r"\b(?:provide|share|supply|pass on|pass along|send)\s+(?:us\s+|them\s+|me\s+)?(?:with\s+)?(?:relevant|useful"
        r"|valuable|some|any|internal|timely|exclusive)\s+(?:information|insights?|intelligence|materials?|documents?)\b",
        0.55,
        "The contact asks you to pass on information, the core of intelligence tasking.",
    ),
    Term(
        "lure.tasking_report",
        r"\b(?:papers?|reports?|articles?|analys[ie]s|briefings?|memos?|notes?|essays?|assessments?|studies)\s+"
        r"(?:on|about|regarding|concerning)\s+(?:[\w'’.-]+\s+){0,4}?(?:polic(?:y|ies)|government|ministr(?:y|ies)"
        r"|defen[cs]e|military|security|strategy|sanctions|negotiations?|diplomacy|relations)\b",
        0.6,
        "The contact wants papers or reports on policy, government or security matters, the subject of intelligence tasking.",
    ),
    Term(
        "lure.tasking_report",
        r"\bshort\s+(?:reports?|papers?|articles?|analys[ie]s|essays?|briefings?|memos?)\b",
        0.55,
    ),
    Term(
        "lure.tasking_access",
        r"\b(?:security clearance|clearance holders?|cleared (?:personnel|staff|professionals)|your (?:position|role|work"
        r"|contacts|network|colleagues|access) (?:at|in|within|inside) (?:the\s+)?(?:ministry|government|department"
        r"|agency|parliament|commission|army|navy|air force|military|administration|embassy))\b",
        0.5,
        "The message is interested in the target's government position, contacts or security clearance.",
    ),
    Term(
        "lure.tasking_access",
        r"\byour\s+(?:former\s+|current\s+|previous\s+)?(?:agency|ministry|department|unit|service|directorate"
        r"|employer|company|organi[sz]ation)(?:'s|’s)\s+(?:[\w-]+\s+)?(?:plans?|procurement|budgets?|strategy|priorities"
        r"|programmes?|programs?|contracts?|negotiating|position|internal)\b",
        0.6,
        "The contact asks about your employer's internal plans, which is what intelligence services pay for.",
    ),
    Term(
        "lure.tasking_report",
        r"\b(?:questionnaires?|surveys?|questions|consultations?|calls?|interviews?)\s+(?:on|about|regarding|concerning)\s+"
        r"(?:[\w'’.-]+\s+){0,4}?(?:polic(?:y|ies)|government|ministr(?:y|ies)|defen[cs]e|military|security|strategy"
        r"|sanctions|negotiations?|diplomacy|relations|procurement|elections?|agency|geopoliti\w*)\b",
        0.5,
        "The contact wants answers on policy, government or security matters, the subject of intelligence tasking.",
    ),
    Term(
        "lure.tasking_report",
        r"\byour\s+(?:insights?|views|perspectives?|thoughts|opinions?|assessments?|take)\s+(?:on|into|about|regarding)\b",
        0.35,
        "The contact asks for your views, which paid 'consulting' approaches turn into tasking.",
    ),
    # --- cover persona
    Term(
        "lure.cover_persona",
        r"\btalent scouts?\b|\b(?:HR|human resources|recruitment|career)\s+consultants?\b",
        0.45,
    ),
    Term("lure.cover_persona", r"\b(?:research|senior|visiting|associate)\s+fellows?\b", 0.4),
    Term(
        "lure.cover_persona",
        r"\b(?:consultants?|consultancy|consulting (?:firm|company|agency|group))\b",
        0.3,
    ),
    Term(
        "lure.cover_persona",
        r"\b(?:institute|cent(?:er|re)|academy|foundation|association)\s+(?:for|of)\s+(?:[\w-]+\s+){0,3}?"
        r"(?:international|strategic|global|foreign|political|policy)\s+(?:[\w-]+\s+)?(?:studies|affairs|relations|politics"
        r"|research|exchange|cooperation|development)\b",
        0.45,
        "The sender presents as a policy institute or research centre, a cover used in published cases.",
    ),
    # --- vagueness
    Term(
        "lure.vague_client",
        r"\b(?:a|an|one of (?:our|my)|our|my)\s+(?:[\w-]+\s+){0,2}?(?:clients?|customers?|partners?)\b",
        0.3,
        "The message speaks of an unnamed client or partner, without company facts to verify.",
    ),
    Term(
        "lure.vague_client",
        r"\b(?:asian|chinese|foreign|overseas|international|eastern)\s+(?:clients?|customers?|partners?|investors?"
        r"|compan(?:y|ies)|firms?|organi[sz]ations?)\b",
        0.5,
        "The client or partner is described only by region, not by a name you could verify.",
    ),
    Term(
        "lure.vague_client",
        r"\b(?:cannot|can['’]t|can not|unable to|not able to|not at liberty to|not allowed to)\s+(?:yet\s+)?"
        r"(?:disclose|reveal|share|name|tell you|say)\b",
        0.55,
        "The sender says they cannot disclose who the client is.",
    ),
    Term(
        "lure.vague_client",
        r"\b(?:a|an)\s+(?:leading|prestigious|renowned|well[- ]known|major|large|top|reputable|influential|famous|big)"
        r"\s+(?:[\w-]+\s+){0,2}?(?:company|firm|organi[sz]ation|institution|client|group|consultancy|corporation)\b",
        0.35,
    ),
    Term(
        "lure.vague_client",
        r"\b(?:more|further|full) (?:details|information) (?:later|once|when|if|after) (?:we|you)\b",
        0.45,
        "Details are promised only later, so nothing can be checked now.",
    ),
    # --- flattery
    Term(
        "lure.flattery",
        r"\b(?:impressed|fascinated|struck|amazed)\s+(?:by|with)\s+(?:your|ur)\b",
        0.5,
    ),
    Term(
        "lure.flattery",
        r"\byour\s+(?:very\s+)?(?:impressive|outstanding|remarkable|exceptional|extensive|excellent|unique|rich"
        r"|extraordinary|distinguished|brilliant|deep|valuable)\s+(?:[\w-]+\s+){0,2}?(?:profile|background|experience"
        r"|expertise|career|knowledge|insights?|achievements?|work|record|credentials)\b",
        0.45,
    ),
    Term(
        "lure.flattery",
        r"\b(?:experts?|professionals?|specialists?|someone|people)\s+(?:like you|of your (?:calibre|caliber|stature|standing|level))\b",
        0.45,
    ),
    Term("lure.flattery", r"\bhighly (?:respected|regarded|esteemed)\b|\bgreat admiration\b", 0.35),
    # --- urgency
    Term(
        "lure.urgency",
        r"\b(?:urgent(?:ly)?|as soon as possible|asap|immediately|right away|without delay)\b",
        0.4,
    ),
    Term("lure.urgency", r"\b(?:within|in the next)\s+(?:24|48|72)\s*(?:hours|hrs|h)\b", 0.5),
    Term(
        "lure.urgency",
        r"\b(?:limited|only a few)\s+(?:time|places|slots|positions|spots|openings)\b|\bact (?:now|fast|quickly)\b"
        r"|\b(?:space|spots|places|seats) (?:is|are) limited\b",
        0.4,
    ),
    Term(
        "lure.urgency",
        r"\b(?:reply|respond|answer|decide)\s+(?:today|now|quickly|promptly)\b",
        0.45,
    ),
    # --- unsolicited first contact
    Term(
        "lure.unsolicited_contact",
        r"\b(?:I|we)\s+(?:came|come|stumbled|happened)\s+(?:across|upon|on)\s+(?:your|ur)\b",
        0.5,
    ),
    Term(
        "lure.unsolicited_contact",
        r"\b(?:found|saw|noticed|viewed|read|reviewed|checked)\s+(?:your|ur)\s+(?:[\w-]+\s+)?(?:profile|cv|resume|résumé|background)\b",
        0.45,
    ),
    Term(
        "lure.unsolicited_contact",
        r"\b(?:allow|permit|let)\s+me\s+(?:to\s+)?introduce\s+myself\b",
        0.5,
    ),
    Term(
        "lure.unsolicited_contact",
        r"\bwe\s+(?:have\s+(?:not|never)|haven['’]t|never)\s+(?:met|spoken|been introduced)\b",
        0.45,
    ),
    Term(
        "lure.unsolicited_contact",
        r"\bI(?:'m|’m| am)\s+reaching\s+out\b|\bhope this (?:message|e-?mail|mail|note|letter) (?:will )?finds? you\b",
        0.3,
    ),
    Term(
        "lure.unsolicited_contact",
        r"\b(?:may|might|will|would)\s+come\s+(?:to you\s+)?as\s+a\s+surprise\b|\bwe\s+(?:do not|don['’]t|have never)\s+"
        r"(?:know|met)\s+(?:each other|ourselves|one another)\b|\byou\s+(?:do not|don['’]t)\s+know\s+me\b",
        0.5,
        "The sender admits you do not know each other: a cold approach from a stranger.",
    ),
    # --- booby-trapped files and code ("Dream Job" fake recruiters, coding-test scams)
    Term(
        "lure.malware_attachment",
        r"\b(?:the\s+)?password\s+(?:for|to open|to unzip|to extract|of)\s+(?:the\s+)?(?:attached\s+)?(?:file|document"
        r"|archive|zip|attachment|pdf)\b|\bpassword[- ]protected\s+(?:file|document|archive|zip|pdf)\b",
        0.75,
        "The contact sends a password-protected file, a way to slip malware past e-mail filters.",
    ),
    Term(
        "lure.malware_attachment",
        r"\b(?:clone|download|run|install|execute|open)\s+(?:the\s+|this\s+|our\s+|my\s+)?(?:attached\s+)?(?:repo(?:sitory)?"
        r"|project|code|app|application|tool|software|game|installer|skills? (?:test|assessment)|coding (?:test|task"
        r"|challenge|assessment)|job description|JD)\b[^.\n]{0,60}?\b(?:npm install|npm start|run it|locally|on your"
        r"\s+(?:machine|computer|laptop)|before (?:the|our) (?:interview|call))",
        0.7,
        "The contact wants you to run code or install software from them before an interview, a known way to plant malware.",
    ),
    Term(
        "lure.malware_attachment",
        r"\b(?:install|download)\s+(?:the\s+|our\s+|this\s+)?(?:[\w-]+\s+)?(?:video|meeting|conference|chat|call)"
        r"[- ]?(?:app|software|client|tool)\b",
        0.55,
        "The contact asks you to install a special app for the call, a known way to plant malware.",
    ),
    # --- secrecy
    Term(
        "lure.secrecy",
        r"\b(?:keep|treat|kept)\s+(?:this|it|our (?:conversation|exchange|discussion|contact|cooperation|collaboration))"
        r"\s+(?:strictly\s+)?(?:confidential|private|secret|discreet|between us)\b",
        0.8,
    ),
    Term(
        "lure.secrecy",
        r"\b(?:strictly confidential|utmost discretion|between (?:you and me|the two of us)"
        r"|no ?one (?:else )?(?:needs to|has to|must) know|do not (?:tell|inform|mention (?:this|it) to))\b",
        0.55,
    ),
    Term("lure.secrecy", r"\bdiscreet(?:ly)?\b", 0.3),
    # --- around the employer, out of sight (added after the outreach hold-out's error review)
    Term(
        "lure.secrecy",
        r"\b(?:no need|not necessary|unnecessary|don['’]t need|do not need|no reason)\s+(?:for you\s+)?to\s+"
        r"(?:go through|involve|inform|tell|ask|mention (?:it|this) to|notify|check with)\s+(?:your\s+)?"
        r"(?:employer|manager|boss|company|ministry|department|agency|organi[sz]ation|superiors?|hierarchy|colleagues)\b",
        0.75,
        "The contact suggests keeping your employer out of it, which is how covert tasking starts.",
    ),
    Term(
        "lure.secrecy",
        r"\b(?:not|never)\s+(?:be\s+)?(?:published|attributed|credited|cited|quoted)\s+(?:under|to|with)\s+your\s+name\b"
        r"|\b(?:published|shared|used)\s+anonymously\b|\bwithout (?:attribution|your name)\b",
        0.55,
        "Your work would not carry your name: the client wants the content, not an author.",
    ),
    Term(
        "lure.tasking_report",
        r"\b(?:not yet|not been|isn['’]t yet|is not yet|never been|before (?:it is|it's|they are))\s+"
        r"(?:in the (?:press|news|media)|public(?:ly (?:known|available|announced))?|published|announced|released)\b",
        0.6,
        "The contact wants information that is not yet public, the kind intelligence services pay for.",
    ),
    Term(
        "lure.offplatform_request",
        r"\b(?:send|email|e-mail|mail|forward)\s+(?:it|them|this|the (?:paper|report|note|document|file)s?)?\s*"
        r"(?:directly\s+)?to\s+(?:my|a)\s+(?:personal|private|gmail|yahoo|outlook|hotmail|own)\s+"
        r"(?:e-?mail|address|account|inbox)\b",
        0.6,
        "The contact asks for material to go to a personal e-mail address, away from the platform.",
    ),
    # --- legitimate context (not evidence)
    Term(
        "ctx.job",
        r"\b(?:salary|per annum|p\.a\.|base pay|OTE|benefits|equity|stock options|full[- ]time|part[- ]time|permanent"
        r"|hybrid|remote(?:-first)?|on-?site|requirements|responsibilities|qualifications|years of experience"
        r"|job description|tech stack|interview process|hiring|vacanc(?:y|ies)|apply|the role|executive search"
        r"|search for an?|candidates?)\b",
        1.0,
    ),
    Term(
        "ctx.event",
        r"\b(?:conference|summit|symposium|panel(?:ist)?|keynote|speakers?|agenda|call for (?:papers|proposals|speakers)"
        r"|CFP|registration|attendees|venue|webinar|meetup|workshop programme)\b",
        1.0,
    ),
    Term(
        "ctx.media",
        r"\b(?:podcast|episode|listeners|interview (?:you )?for|show notes|our (?:show|channel|readers)|reporter"
        r"|journalist|newsroom)\b",
        1.0,
    ),
    Term(
        "ctx.publisher",
        r"\b(?:publisher|publishing|manuscript|book proposal|editor|journal|special issue|peer[- ]review|proofs"
        r"|magazine|guest post|op-ed|column)\b",
        1.0,
    ),
    Term(
        "ctx.newsletter",
        r"\b(?:unsubscribe|newsletter|view (?:this|it) in (?:your|a) browser|manage (?:your )?(?:email )?preferences"
        r"|you (?:are )?receiv(?:e|ing) this)\b",
        1.0,
    ),
)

NEEDS: dict[str, tuple[str, ...]] = {
    r"\b(?:we|they|I|our clients?|the client|would": ("pay", "compensat", "reward", "remunerat"),
    r"\byour\s+(?:former\s+|current": ("'s", "’s"),
    r"\byour\s+(?:insights?|views|perspectives?": (
        "insight",
        "view",
        "perspective",
        "thought",
        "opinion",
        "assessment",
        "take",
    ),
    r"\b(?:per|for each": (
        "report",
        "paper",
        "article",
        "analys",
        "essay",
        "brief",
        "memo",
        "note",
        "piece",
        "stud",
        "consult",
        "call",
    ),
    r"\b(?:will|would|shall|could)": ("paid", "compensated", "remunerated", "rewarded"),
    r"\b(?:cover(?:s|ing)?|pay(?:s|ing)? for": (
        "travel",
        "trip",
        "flight",
        "expense",
        "cost",
        "accommodation",
        "hotel",
        "visa",
    ),
    r"\b(?:free|complimentary": ("trip", "travel", "flight", "visit", "stay"),
    r"\b(?:your|ur)\s+(?:personal": (
        "phone",
        "mobile",
        "cell",
        "number",
        "mail",
        "contact",
        "account",
        " id",
    ),
    r"\b(?:share|send|give": ("number", "mail", "contact", "whatsapp", "wechat", "telegram"),
    r"\b(?:continue|talk|chat": (
        "whats",
        "telegram",
        "chat",
        "signal",
        "viber",
        "skype",
        "mail",
        "phone",
        "private",
    ),
    r"\b(?:a|an|one of (?:our|my)|our|my)": ("client", "customer", "partner"),
    r"\b(?:a|an)\s+(?:leading": (
        "company",
        "firm",
        "organi",
        "institution",
        "client",
        "group",
        "consultancy",
        "corporation",
    ),
    r"\b(?:cannot|can['’]t": ("disclose", "reveal", "share", "name", "tell", "say"),
    r"\b(?:more|further|full) (?:details": ("detail", "information"),
    r"\byour\s+(?:very": (
        "profile",
        "background",
        "experience",
        "expertise",
        "career",
        "knowledge",
        "insight",
        "achievement",
        "work",
        "record",
        "credential",
    ),
    r"\b(?:experts?|professionals?": ("like you", "of your"),
    r"\b(?:within|in the next)": ("24", "48", "72"),
    r"\b(?:reply|respond": ("today", "now", "quickly", "promptly"),
    r"\b(?:I|we)\s+(?:came": ("across", "upon", " on "),
    r"\bwe\s+(?:have": ("met", "spoken", "introduced"),
    r"\bI(?:'m|’m| am)\s+reaching": ("reaching", "find"),
    r"\b(?:may|might|will|would)\s+come": ("surprise", "know", "met"),
    r"\binterview": ("whats", "telegram", "chat", "signal", "wickr", "viber", "hangouts", "text"),
    r"\b(?:keep|treat|kept)": ("confidential", "private", "secret", "discreet", "between us"),
    r"\b(?:strictly confidential": (
        "confidential",
        "discret",
        "discreet",
        "between",
        "know",
        "tell",
        "inform",
        "mention",
    ),
    r"\b(?:found|saw|noticed": ("profile", "cv", "resume", "résumé", "background"),
    r"\b(?:security clearance": (
        "clearance",
        "cleared",
        "ministry",
        "government",
        "department",
        "agency",
        "parliament",
        "commission",
        "army",
        "navy",
        "air force",
        "military",
        "administration",
        "embassy",
    ),
    r"\b(?:no (?:prior )?experience": (
        "experience",
        "home",
        "boss",
        "high pay",
        "data entry",
        "get paid",
    ),
    r"\b(?:reship(?:ping|per)?": ("ship", "packag", "mystery", "payment"),
    r"\b(?:next of kin": (
        "kin",
        "beneficiary",
        "dormant",
        "sum",
        "fund",
        "inheritance",
        "proposal",
        "million",
        "lottery",
        "selected",
        "won",
    ),
    r"\b(?:asian|chinese|foreign": (
        "client",
        "customer",
        "partner",
        "investor",
        "compan",
        "firm",
        "organi",
    ),
    r"\b(?:trip|visit|travel|journey|fly": (" to ",),
    r"\b(?:seminars?|workshops?": (" in ", " at "),
    r"\b(?:meet|meeting|visit|travel": ("abroad", "overseas"),
    r"\b(?:client|customer)\s+(?:meeting": ("meeting", "visit", "client"),
}
