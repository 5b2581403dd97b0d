"""Cue lexicons: what a sentence's own wording, or its list's lead-in, says it is.

Every decision names the cue that made it (``Decision.cue``), so a reader can
see why a sentence became a statement. The lexicons hold general phrasing
of inspection prose ("needs to", "inconsistent", "has improved", "we were
pleased to find:"), never a force's name or one page's words. They are
ordered: a sentence that is not the inspectorate's judgment at all
(method, background, a heading's question) is dropped before any kind is
considered, and a stated need wins over the polarity words it contains
("it needs to improve" is an area for improvement, not a negative finding).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from kg.records import StatementKind

Polarity = Literal["positive", "negative", "mixed"]


@dataclass(frozen=True, slots=True)
class Decision:
    """The kind (and, for a finding, polarity) of one sentence or item, and the cue that decided it."""

    kind: StatementKind
    polarity: Polarity | None
    cue: str


def _words(*alternatives: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b", re.I)


# --- what is not a statement ------------------------------------------------------------

#: The inspectorate describing its own work, the report or the programme (method, background).
_METHOD_RE = re.compile(
    r"^(?:(?:However|But|This is because|Since then|Also|This year|For the first time|In (?:each|every|this|our) \w+"
    r"|(?:In|From|During|Between|On|Since|Following|After) [^,]{0,40}),? )*"
    r"(?:As part of\b|In (?:this|our) (?:report|inspection)\b|If\b|Where\b|Read more\b|Links? to\b"
    r"|(?:This|The|Our|These|Each|Every|An?) (?:(?!(?:constabulary|force|police|service)\b)\w+ ){0,3}(?<!and )(?:repor"
    r"t|reports|inspections?|assessment|review|programme|section|chapter"
    r"|page|framework|methodology|terminology)s?\b(?! (?:also |does |did )?(?:found|identified|identify|concluded|show"
    r"ed|highlighted|raised"
    r"|welcomes|commends|praises|notes|highlights|recognises|identifies|criticises))"
    r"|(?:[A-Z][^,]{0,40}, )?(?:We|HMIC\w*|HM Inspectorate\b[^,.]{0,80}?|(?:His|Her) Majesty[’']s Inspectorate\b[^,.(]"
    r"{0,80}?"
    r"|The inspectorate|Inspectors|Our inspectors)(?: \([A-Z]+\))? (?:have |has |had |will |also |then |now |first )*"
    r"(?:inspect(?:ed|s|ing)?|examin(?:e|ed|es)|review(?:ed|s)?|audit(?:ed|s)?|assess(?:ed|es)?|interview(?:ed|s)?|spo"
    r"ke|visit(?:ed|s)?"
    r"|conduct(?:ed|s)|carried out|carry out|returned|re-inspected|reinspected|look(?:ed|s)? at|held|analys(?:ed|es)|p"
    r"ublish(?:ed|es)|introduc(?:ed|es)"
    r"|moved|make|made (?:a|an|graded)|set out|sets out|use[ds]?|collect(?:ed|s)|ask(?:ed|s)|survey(?:ed|s)|consider(?"
    r":ed|s)"
    r"|would like|will continue|continue to|intend|plan|expect to publish|took on|is an?|are an?|was renamed|gives?|wa"
    r"nt to know"
    r"|define[sd]?|grade[sd]?|judge[sd]?|also inspected|do not|don't|didn't|did not make|chose|increased|changed|focus"
    r"|report"
    r"|will|provide|highlight|drive|monitor(?:ed|s)?|work(?:ed)? with|engage[sd]?|agree[sd]?|requested|commissioned|wa"
    r"s commissioned))"
    r"|^This is (?:HMIC\w*|our|the|an?)\b[^.]{0,140}\b(?:assessment|inspection|report|review)\b"
    r"|\b(?:was|were|been) (?:inspected|commissioned)\b|\bwe (?:have )?(?:chosen|decided|planned)\b|\bcomparable\b"
    r"|\bour judgments?\b|^These (?:updates|pages|links)\b|\bwe (?:seek|aim|intend|plan) to\b|\bhow we inspect\b"
    r"|\bwe can (?:no longer )?(?:be|compare)\b|\ballows? (?:us|HMIC\w*|inspectors) to\b"
    r"|\bdirect comparisons?\b|\bnot subject to (?:detailed )?inspection\b|\bassessed how (?:good|well)\b|\blisted bel"
    r"ow\b"
    r"|^(?:Outstanding|Good|Adequate|Requires improvement|Inadequate)\s*[\u2013\u2014:-]",
    re.I,
)
#: Navigation and page furniture that can look like a sentence.
_FURNITURE_RE = re.compile(
    r"^(?:Get|Read|View|Download|Print|Share|Skip|Contact|Find out|See|Return|Back|Go) (?:the |this |to |more|our |all"
    r" )?"
    r"|^(?:Published|Last updated|Updated|Page created)\b|^Notes?\b|©|https?://|\bpress office\b",
    re.I,
)
#: Graded judgments, grade counts and case-audit tallies: read by their own detectors, never a finding here.
_GRADE_RE = re.compile(
    r"\bextent to which\b|\bwith which (?:the force|it|the constabulary)\b.{0,120}\bis (?:outstanding|good|adequate|in"
    r"adequate)\b"
    r"|\bremains? (?:outstanding|good|adequate|inadequate)\b|\bnot graded\b"
    r"|\b(?:assessed|judged|graded|rated)\b(?: [^.]{0,60}?)?(?: as| to be)? (?:as )?(?:being )?(?:outstanding|good|ade"
    r"quate|inadequate"
    r"|requir\w+ improvement)\b"
    r"|\b(?:is|are|was|were) (?:outstanding|good|adequate|inadequate) in (?:the efficiency|the effectiveness|the legit"
    r"imacy|respect)\b"
    r"|\b(?:good|adequate|inadequate|outstanding|requires improvement) in (?:one|two|three|four|five|six|seven|eight|n"
    r"ine|ten|\d+) (?:areas?|of)\b"
    r"|\b(?:audited|examined|reviewed|assessed) (?:a total of )?\d+ (?:\w+ ){0,3}(?:cases|case files)\b"
    r"|\bgood in \d+ cases\b|\bdid not grade\b|\bgraded judgments?\b|\bawarded\b[^.]{0,60}\bgrades?\b",
    re.I,
)
#: Recommendations and causes of concern: the recommendation detectors own these sentences.
_RECOMMENDATION_RE = re.compile(
    r"\bwe recommend\b|\bHMIC\w* recommends?\b|^Recommendations?\b|\bcauses? of concern\b"
    r"|^(?:Not later than|No later than)\b"
    r"|^(?:Within|By) (?:\d+|one|two|three|four|six|nine|twelve|eighteen|the end of)\b[^.]{0,80}\b(?:should|must)\b",
    re.I,
)
#: Someone other than the inspectorate speaking: their words are not the inspectorate's statements.
OTHER_SPEAKER_RE = re.compile(
    r"\b(?:chief constable|deputy chief|assistant chief|commissioner|PCC|minister|mayor|spokes(?:person|man|woman)"
    r"|superintendent|chief inspector|chief officer|council|councillor|panel|leader of|members?)\b",
    re.I,
)
INSPECTORATE_SPEAKER_RE = re.compile(
    r"\b(?:HM Inspector|Her Majesty's Inspector|His Majesty's Inspector|Inspector of Constabulary|HMI\b|HMICFRS|HMIC\b"
    r"|Chief Inspector of Constabulary|inspectors?\b)",
    re.I,
)
#: Speech reported inside a sentence: "..., the chief constable said".
_SAID_RE = re.compile(
    r"\b(?:said|says|commented|added|responded|welcomed the report|noted|explained|asked|confirmed|stated|reported th"
    r"at)\b",
    re.I,
)
_THIRD_PERSON_SPEAKER_RE = re.compile(r"^(?:She|He|Members?|Councillor|The (?:panel|chair|committee))\b", re.I)
#: Statements about policing in general ("Police officers must be alert to..."), not about a force's practice.
_GENERAL_SUBJECT_RE = re.compile(
    r"^(?:All|Every|Most|Many|Some|Too many) (?:children|forces|police forces|people|victims)\b"
    r"|^(?:The police|Police officers|Police forces|Police and partners|Forces|Everyone|It is everyone's)\b"
    r"|^(?:Protecting|Child protection|Safeguarding) (?:children|and safeguarding) (?:is|are)\b"
    r"|^(?:To protect|While it is everyone's|Unfortunately)\b|\b(?:police forces|all forces|forces[’'])"
    r"|\b(?:is|are) (?:vital|essential|crucial|fundamental) (?:to|for)\b"
    r"|^(?:[A-Z]?\w+ ){1,5}(?:can|could|may|might) (?:lead|result|mean|leave|cause|put)\b"
    r"|\b(?:when we return|future inspections?|next inspection|look forward to|in due course|I hope|we hope)\b"
    r"|\b(?:in|how well|many|most|some|all) forces\b|^There is a national\b",
    re.I,
)

# --- stated needs ---------------------------------------------------------------------------

_NEED_RE = re.compile(
    r"(?<!the )(?<!a )(?<!how they )(?<!what they )(?<!who )\b(?:needs?|needed) to\b"
    r"(?! (?:be )?(?:protect(?:ed)?|safeguard(?:ed)?|support(?:ed)?|kept safe|heard|listened to)\b)"
    r"|\bshould\b(?! have\b)(?! be (?:commended|congratulated|proud|pleased))(?! (?:they|it|this|these|there|he|she)\b)"
    r"|\b(?:ought to|could) improve\b|\bought to\b|\bcould do more\b"
    r"|\bmust (?:improve|do|make|ensure|address|take|review|develop|act|put|reduce|understand|consider|continue)\b"
    r"|\b(?:still )?requires? (?:further |more |significant |some )?improvement\b"
    r"|\b(?:more|further|much|significant|some) (?:work|improvement|progress|action) (?:is |are )?(?:still )?(?:needed"
    r"|required|necessary"
    r"|to (?:do|be made|be done))\b"
    r"|\b(?:has|have|had) (?:more|further|much|some|still more) work to do\b|\bstill (?:has|have) work to do\b"
    r"|\bthere (?:is|remains) (?:still )?(?:scope|room|a need) (?:to|for)\b|\bwould benefit from\b"
    r"|\bI (?:want|would like|expect) to see\b|\bwe (?:want|would like|expect) to see\b"
    r"|\bneeds? (?:further )?(?:attention|improvement|improving|to be improved|strengthening)\b"
    r"|\bis (?:an )?area(?:s)? (?:for|requiring) improvement\b",
    re.I,
)
#: "as quickly as it should", "than it should": a comparison judging what happens, not a stated need.
_SHOULD_COMPARED_RE = re.compile(
    r"\b(?:as|than) (?:\w+ ){0,3}(?:it|they|we|he|she|the force|the constabulary|expected|required) (?:should|needs? t"
    r"o|must)\b"
    r"|\bshould (?:have|be)\b|\bas (?:it|they) should\b",
    re.I,
)

#: The publication calling something an area for improvement in so many words.
_AREA_FOR_IMPROVEMENT_RE = re.compile(
    r"\b(?:is|as|was|are|were|remains?) (?:an |one |another )?areas? (?:for|requiring) (?:further )?improvement\b"
    r"|\bwe have identified (?:an |one |two |three |\w+ )?areas? for improvement\b",
    re.I,
)

# --- practice worth copying -----------------------------------------------------------------

_INNOVATIVE_RE = re.compile(r"\binnovative (?:and \w+ )?practice\b|\bexamples? of innovati\w+\b", re.I)
_GOOD_PRACTICE_RE = re.compile(
    r"\b(?:examples?|areas?|pieces?) of (?:good|notable|effective|promising|positive|best) (?:practice|work)\b"
    r"|\b(?:is|as|was|were|are) (?:an? )?(?:good|notable|effective|promising|best) practice\b",
    re.I,
)

# --- polarity of a finding -------------------------------------------------------------------

_POSITIVE_RE = _words(
    r"effective(?:ly)?(?! at)",
    r"good(?! in \d)",
    r"(?<!as )well(?! as| below| above| short)",
    r"strong(?:ly)?",
    r"committed",
    r"commitment",
    r"dedicated",
    r"clear(?:ly)?",
    r"improved",
    r"improving",
    r"improvements?",
    r"progress",
    r"pleased",
    r"encouraged",
    r"encouraging",
    r"impress(?:ive|ed)",
    r"positive(?:ly)?",
    r"robust(?:ly)?",
    r"thorough(?:ly)?",
    r"high[- ]quality",
    r"excellent",
    r"comprehensive(?:ly)?",
    r"sound",
    r"appropriate(?:ly)?",
    r"timely",
    r"prompt(?:ly)?",
    r"quickly",
    r"proactive(?:ly)?",
    r"successful(?:ly)?",
    r"success",
    r"better",
    r"welcomed?",
    r"innovative",
    r"sophisticated",
    r"credible",
    r"realistic",
    r"ambitious",
    r"consistent(?:ly)?",
    r"valued",
    r"correctly",
    r"accurately",
    r"strengthened",
    r"streamlined",
    r"satisfied",
    r"commendable",
    r"congratulate",
    r"efficient(?:ly)?",
    r"motivated",
    r"extensive",
    r"detailed",
    r"solid",
    r"accessible",
    r"actively",
    r"hard",
    r"supportive",
    r"skilled",
    r"knowledgeable",
    r"capable",
    r"confident",
    r"priority",
    r"prioriti[sz]es?",
    r"invest(?:ed|ing|ment)",
    r"understands?",
    r"well-(?:developed|established|managed|led|trained|resourced)",
    r"high standard",
    r"strengths?",
    r"benefits?",
    r"enabl(?:es|ing)",
    r"helps",
)
_NEGATIVE_RE = _words(
    r"not",
    r"\w+n[’']t",
    r"no longer",
    r"never",
    r"lacks?",
    r"lacking",
    r"insufficient(?:ly)?",
    r"inconsisten(?:t|tly|cy|cies)",
    r"poor(?:ly)?",
    r"weak(?:ness|nesses)?",
    r"concerns?",
    r"concerned",
    r"concerning",
    r"worr(?:ied|ying)",
    r"disappoint(?:ed|ing)",
    r"delays?",
    r"delayed",
    r"backlogs?",
    r"too (?:long|slow|many|few|much|often|late)",
    r"fail(?:s|ed|ing|ures?)?",
    r"limited",
    r"inadequate(?:ly)?",
    r"inadequacies",
    r"substandard",
    r"deteriorat\w+",
    r"ineffective(?:ly)?",
    r"unable",
    r"missed",
    r"hinder(?:s|ed|ing)?",
    r"gaps?",
    r"shortfalls?",
    r"struggl\w+",
    r"unclear",
    r"variable",
    r"variation",
    r"absence",
    r"problems?(?!-solving)",
    r"shortcomings?",
    r"unnecessar(?:y|ily)",
    r"incomplete",
    r"disparity",
    r"risks? (?:that|of)",
    r"below",
    r"behind",
    r"fewer",
    r"less (?:than|effective|able|likely)",
    r"confusion",
    r"confused",
    r"outdated",
    r"misunderst\w+",
    r"mixed picture",
    r"unaware",
    r"infrequent(?:ly)?",
    r"rarely",
    r"seldom",
    r"low",
    r"lower",
)
_CLAUSE_RE = re.compile(r"[,;:]|\b(?:but|however|while|whilst|although|though|whereas)\b", re.I)
_NEGATION_RE = re.compile(r"\b(?:not|no|never|n't|\w+n[’']t|no longer|without|lack of)\b", re.I)
_NOT_ONLY_RE = re.compile(r"\bnot only\b|\bwhether or not\b|\bif not\b|\bnot least\b", re.I)
#: Reporting verbs that present a judgment ("we found", "inspectors were concerned").
_REPORTED_RE = re.compile(
    r"\b(?:we|HMIC\w*|inspectors|the inspectorate|the inspection|it|I|this) (?:also |have |has |had )*"
    r"(?:found|saw|identified|observed|noted|concluded|were (?:pleased|encouraged|impressed|concerned|disappointed)"
    r"|am (?:pleased|encouraged|concerned|satisfied|impressed|disappointed)"
    r"|(?:was|have been|has been) (?:very |particularly )?(?:pleased|encouraged|impressed|concerned|disappointed))\b",
    re.I,
)
#: Words naming the force, its people or its partners: a finding is about their practice.
_AGENT_RE = re.compile(
    r"\b(?:force|forces'|constabulary|constabulary's|police|officers?|staff|leaders?|leadership|supervisors?|supervisi"
    r"on"
    r"|investigat\w+|teams?|units?|partners?|partnerships?|it|its|they|their|there (?:is|are|was|were)|this|these|chief"
    r"|senior|frontline|workforce|processes|systems?|arrangements|approach|response|service|governance|plans?|practice"
    r"|decisions?|cases?|officers'|hub|MASH|custody|training|we found|we saw|policing|neighbourhood|culture|strategy)"
    r"\b",
    re.I,
)


def polarity_of(text: str) -> tuple[Polarity | None, str]:
    """Positive, negative or mixed, from the evaluative words of a sentence, and which words decided."""
    cleaned = _NOT_ONLY_RE.sub(" ", text)
    neg = _NEGATIVE_RE.findall(cleaned)
    # "doesn't always answer calls in a timely way": a positive word after a negation in the same
    # clause is negated, so it counts against, not for.
    pos = []
    for clause in _CLAUSE_RE.split(cleaned):
        negated = _NEGATION_RE.search(clause)
        pos += [w for w in _POSITIVE_RE.finditer(clause) if negated is None or w.start() < negated.start()]
    if pos and neg:
        return "mixed", "wording:mixed"
    if neg:
        return "negative", f"wording:{neg[0].lower()}"
    if pos:
        return "positive", f"wording:{pos[0].group(0).lower()}"
    return None, ""


_STATISTIC_RE = re.compile(r"^(?:About |Around |Some |Over |Almost |Nearly )?\d[\d,.]*\s*(?:%|per ?cent|percent)", re.I)
#: A list's lead-in stating aims or duties ("The programme will:", "Its aims are to:"): its items describe, not judge.
_AIM_LEAD_RE = re.compile(
    r"\b(?:will|aims?|aim is|objectives?|purposes?|intend\w*|in order to|designed to|seeks? to|allows? \w+ to|is to|ar"
    r"e to"
    r"|responsib\w+|role is|expected to|asked to|required to|must|criteria|questions?|terms of reference)\b",
    re.I,
)


def is_aim_lead_in(lead_in: str) -> bool:
    """Does this lead-in introduce aims, duties or questions rather than what was found?"""
    return bool(_AIM_LEAD_RE.search(lead_in))


def not_a_statement(text: str, *, listed: bool = False) -> str | None:
    """Why a sentence states nothing the inspectorate judged (method, furniture, others' words), or None.

    ``listed``: an item of a list whose lead-in already says what its items are; only
    furniture, questions and others' words are ruled out then.
    """
    body = text.lstrip("\"'\u201c\u2018 ")
    if body.endswith("?"):
        return "question"
    if _FURNITURE_RE.search(body[:60]) and len(body.split()) < 16:
        return "furniture"
    if _SAID_RE.search(body) and not INSPECTORATE_SPEAKER_RE.search(body):
        if OTHER_SPEAKER_RE.search(body) or _THIRD_PERSON_SPEAKER_RE.match(body):
            return "other-speaker"
    if listed:
        return None
    if _METHOD_RE.search(body):
        return "method"
    if _GENERAL_SUBJECT_RE.search(body) and not _FORCE_SUBJECT_RE.match(body):
        return "general"
    if _STATISTIC_RE.match(body):
        return "statistic"
    if len(re.findall(r"[A-Za-z]{2,}", body)) < 4:
        return "fragment"
    return None


def grade_recap(text: str) -> Decision:
    """A sentence retelling an earlier grade ("In 2017 we assessed the force as good") as a finding."""
    polarity: Polarity = (
        "negative" if re.search(r"\b(?:inadequate|requir\w+ improvement)\b", text, re.I) else "positive"
    )
    return Decision("finding", polarity, "wording:earlier-grade")


def claimed_elsewhere(text: str) -> str | None:
    """Grades, tallies, recommendations and causes of concern are read by their own detectors."""
    if _GRADE_RE.search(text):
        return "grade"
    if _RECOMMENDATION_RE.search(text):
        return "recommendation"
    return None


#: A sentence whose subject is the force, its people or its arrangements: on a page judging one
#: force, what the inspectorate says the force does is its finding, even without an evaluative word.
_FORCE_SUBJECT_RE = re.compile(
    r"^(?:(?:However|But|Also|Overall|In addition|Furthermore|Similarly|Consequently),? )?"
    r"(?:The (?:force|constabulary|service)(?:['\u2019]s)?|It|Its|They|Their|This|These|Those|Senior leaders|Leaders"
    r"|The (?:chief officer|senior leadership|leadership|command) team|Officers|Staff|Supervisors|Frontline officers"
    r"|Specialist (?:officers|staff|teams)|The workforce|Opportunities|Work to|Governance|Arrangements)\b"
    r"(?! (?:is|was) (?:not )?(?:possible|because|likely|important|essential|vital|why)\b)",
    re.I,
)


def decide(
    text: str,
    *,
    lead_in: Decision | None = None,
    in_judgment_list: bool = False,
    force_name: str | None = None,
) -> Decision | None:
    """The kind of one sentence or list item, from its lead-in's cue or its own wording."""
    if lead_in is not None:
        if lead_in.kind == "finding" and lead_in.polarity is None:
            polarity, _ = polarity_of(text)
            return Decision("finding", polarity, lead_in.cue)
        return lead_in
    if _INNOVATIVE_RE.search(text):
        return Decision("innovative_practice", None, "wording:innovative-practice")
    if _GOOD_PRACTICE_RE.search(text):
        return Decision("good_practice", None, "wording:good-practice")
    if _AREA_FOR_IMPROVEMENT_RE.search(text):
        return Decision("area_for_improvement", None, "wording:area-for-improvement")
    need = _NEED_RE.search(text)
    if need and not _SHOULD_COMPARED_RE.search(text[max(0, need.start() - 40) : need.end() + 10]):
        # A need stated in a sentence is the inspectorate's negative judgment of the present; with praise
        # before it ("good at X but needs to improve Y") the sentence is mixed.
        before, _ = polarity_of(text[: need.start()])
        polarity = "mixed" if before in ("positive", "mixed") else "negative"
        return Decision("finding", polarity, "wording:need:" + " ".join(need.group(0).lower().split()))
    polarity, cue = polarity_of(text)
    if polarity is None:
        if in_judgment_list:
            return Decision("finding", None, "lead-in:found")
        if force_name is not None and _is_about_force(text, force_name):
            return Decision("finding", "positive", "subject:force")
        return None
    if not _AGENT_RE.search(text) and not _REPORTED_RE.search(text):
        if force_name is None or not _is_about_force(text, force_name):
            return None
    return Decision("finding", polarity, cue)


#: Context rather than judgment: figures compared with averages, and "This is / means / will...".
_CONTEXT_RE = re.compile(
    r"\bper 1,000\b|\baverage\b|\bpopulation\b|\bhighest\b|\blowest\b|\bpercent\b|\bper cent\b"
    r"|^(?:This|These|That) (?:is|was|are|means|meant|describes|relates|change|will|would|allows|helps)\b",
    re.I,
)


def _is_about_force(text: str, force_name: str) -> bool:
    """Does the sentence open with the force (by name or as "the constabulary", "it") as its subject?"""
    if _CONTEXT_RE.search(text):
        return False
    if _FORCE_SUBJECT_RE.match(text):
        return True
    short = re.sub(r"\s+(?:Constabulary|Police(?: Service| Force)?)$", "", force_name)
    return bool(
        re.match(rf"(?:{re.escape(force_name)}|{re.escape(short)}(?: Constabulary| Police)?)(?:['\u2019]s)?\b", text)
    )


# --- lead-ins of lists --------------------------------------------------------------------

#: A list's lead-in and what each of its items states. Checked in order; the first match wins.
_LEAD_INS: tuple[tuple[re.Pattern[str], Decision], ...] = (
    (re.compile(r"\bcauses? of concern\b", re.I), Decision("cause_of_concern", None, "lead-in:cause-of-concern")),
    (
        re.compile(r"\binnovative (?:practice|work|approaches)\b", re.I),
        Decision("innovative_practice", None, "lead-in:innovative-practice"),
    ),
    (
        re.compile(
            r"\bgood (?:work|practice)\b|\bimprovements include\b|\bpositive (?:practice|features)\b"
            r"|\b(?:areas?|examples?) of (?:good|effective|notable) practice\b",
            re.I,
        ),
        Decision("good_practice", None, "lead-in:good-practice"),
    ),
    (
        re.compile(
            r"\bareas? (?:for|requiring|which required|that required|that require|which require) (?:further )?improvem"
            r"ent\b"
            r"|\bareas? of concern\b|\bconcerns include\b|\b(?:still )?requires? (?:further )?improvement\b"
            r"|\b(?:needs?|needed|should|must)(?: to)?(?: \w+)?\s*:\s*$|\bmore work (?:is needed|to do)\b"
            r"|\b(?:ought to|could|should|needs? to|must) improve\b",
            re.I,
        ),
        Decision("area_for_improvement", None, "lead-in:improvement-needed"),
    ),
    (
        re.compile(
            r"\b(?:pleased|encouraged|impressed|reassured) (?:to )?(?:find|see|note|report|that)?\b"
            r"|\b(?:the following|these|some|several|other) improvements\b|\bimprovements (?:since|made|have been)\b"
            r"|\bhas (?:improved|made (?:good |some |significant )?(?:progress|improvements))\b|\bstrengths\b"
            r"|\b(?:doing|working|done) well\b|\bpositive (?:findings|aspects|developments)\b",
            re.I,
        ),
        Decision("finding", "positive", "lead-in:positive"),
    ),
    (
        re.compile(
            r"\b(?:concerned|disappointed|worried) (?:to )?(?:find|see|note|that|about)?\b|\bconcerns\b|\bweaknesses\b"
            r"|\bshortcomings\b|\b(?:did not|does not|doesn't|had not|has not|hasn't) (?:\w+ ){0,3}(?:improved|made)\b",
            re.I,
        ),
        Decision("finding", "negative", "lead-in:negative"),
    ),
    (
        re.compile(
            r"\b(?:we|HMIC\w*|inspectors|the inspection|it|this|the review|the report) (?:also )?(?:found|concluded|id"
            r"entified|noted"
            r"|observed|saw)\b|\bIn particular\s*:\s*$",
            re.I,
        ),
        Decision("finding", None, "lead-in:found"),
    ),
)
#: Lead-ins whose items give examples or details of the sentence before, not statements of their own.
_DETAIL_LEAD_RE = re.compile(
    r"\b(?:these|this|which|examples?|they|it) (?:include|includes|included|are|were|is)\s*:\s*$", re.I
)


def lead_in_decision(lead_in: str) -> Decision | None:
    """What the items of a list introduced by this sentence state, if the lead-in says."""
    for pattern, decision in _LEAD_INS:
        if pattern.search(lead_in):
            return decision
    return None


def is_detail_lead_in(lead_in: str) -> bool:
    """Does this lead-in introduce examples of the sentence before ("These include:")?"""
    return bool(_DETAIL_LEAD_RE.search(lead_in))
