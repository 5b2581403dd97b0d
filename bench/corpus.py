"""Generate a synthetic, seeded corpus of inspection reports for scale benchmarks.

The shipped corpus has four documents; scale cannot be measured on it and no
new real reports may be added for benchmarking. The reports made here follow
the shipped reports' layout and wording closely enough that the structure
and extract stages do the same work on them as on real text: PEEL reports
(contents, judgments table, graded areas with grade lines, "Areas for
improvement" / "Innovative practice" / "Main findings" parts), national child
protection inspection reports (numbered sections, summary bullet lists, case
audit tallies, "Recommendations" with timescales and bullet actions) and
press releases, and the formats most publications state their findings in
prose: PEEL pillar pages of 2014-2019 (grade sentence, findings as plain
sentences, "These include:" details, an earlier grade retold), child
protection post-inspection reviews (a section retelling the earlier
inspection, then the review's verdicts under lead-ins) and press releases
with "Inspectors were pleased / concerned to find:" lists separated by blank
lines, an inspector's and a chief constable's words. Forces, systems, units, legislation and partners are drawn
from the vocabularies, so entity stages meet realistic names.

Everything is derived from ``random.Random(seed)``: the same ``(n, seed)``
gives byte-identical files, so two benchmark runs measure the same input.

Usage: python -m bench.corpus N [OUT_DIR] [--seed S]
"""

from __future__ import annotations

import argparse
import random
from dataclasses import dataclass
from pathlib import Path

from kg.ingest.programmes import cycle_of_year

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "build" / "bench"

#: The 43 territorial forces of England and Wales: (short name, full name).
FORCES: tuple[tuple[str, str], ...] = (
    ("Avon and Somerset", "Avon and Somerset Constabulary"),
    ("Bedfordshire", "Bedfordshire Police"),
    ("Cambridgeshire", "Cambridgeshire Constabulary"),
    ("Cheshire", "Cheshire Constabulary"),
    ("City of London", "City of London Police"),
    ("Cleveland", "Cleveland Police"),
    ("Cumbria", "Cumbria Constabulary"),
    ("Derbyshire", "Derbyshire Constabulary"),
    ("Devon and Cornwall", "Devon and Cornwall Police"),
    ("Dorset", "Dorset Police"),
    ("Durham", "Durham Constabulary"),
    ("Dyfed-Powys", "Dyfed-Powys Police"),
    ("Essex", "Essex Police"),
    ("Gloucestershire", "Gloucestershire Constabulary"),
    ("Greater Manchester", "Greater Manchester Police"),
    ("Gwent", "Gwent Police"),
    ("Hampshire", "Hampshire Constabulary"),
    ("Hertfordshire", "Hertfordshire Constabulary"),
    ("Humberside", "Humberside Police"),
    ("Kent", "Kent Police"),
    ("Lancashire", "Lancashire Constabulary"),
    ("Leicestershire", "Leicestershire Police"),
    ("Lincolnshire", "Lincolnshire Police"),
    ("Merseyside", "Merseyside Police"),
    ("Metropolitan", "Metropolitan Police Service"),
    ("Norfolk", "Norfolk Constabulary"),
    ("North Wales", "North Wales Police"),
    ("North Yorkshire", "North Yorkshire Police"),
    ("Northamptonshire", "Northamptonshire Police"),
    ("Northumbria", "Northumbria Police"),
    ("Nottinghamshire", "Nottinghamshire Police"),
    ("South Wales", "South Wales Police"),
    ("South Yorkshire", "South Yorkshire Police"),
    ("Staffordshire", "Staffordshire Police"),
    ("Suffolk", "Suffolk Constabulary"),
    ("Surrey", "Surrey Police"),
    ("Sussex", "Sussex Police"),
    ("Thames Valley", "Thames Valley Police"),
    ("Warwickshire", "Warwickshire Police"),
    ("West Mercia", "West Mercia Police"),
    ("West Midlands", "West Midlands Police"),
    ("West Yorkshire", "West Yorkshire Police"),
    ("Wiltshire", "Wiltshire Police"),
)

SYSTEMS = ("Sleuth", "Visor", "Niche", "Athena", "Connect", "Storm", "the Police National Computer (PNC)", "PND")
UNITS = (
    "multi-agency safeguarding hub (MASH)",
    "public protection unit (PPU)",
    "child abuse investigation team (CAIT)",
    "Erase team",
    "missing from home team",
    "domestic abuse unit",
    "online child abuse investigation team (OCAIT)",
)
LEGISLATION = (
    "section 47 of the Children Act 1989",
    "section 46 of the Children Act 1989",
    "the Children Act 2004",
    "the Police and Criminal Evidence Act 1984",
    "the Sexual Offences Act 2003",
    "the Domestic Abuse Act 2021",
    "the Children and Social Work Act 2017",
)
PARTNERS = (
    "children's social care services",
    "the NSPCC",
    "Barnardo's",
    "the local safeguarding children partnership",
    "the youth offending service",
    "the Crown Prosecution Service",
    "health visitors",
    "the local authority",
)
THEMES = (
    "children who go missing from home",
    "registered sex offenders",
    "domestic abuse",
    "child sexual exploitation",
    "children detained in police custody",
    "stop and search",
    "crime recording",
    "calls for service",
    "vulnerable victims",
    "online child abuse",
    "use of force",
    "vetting and counter-corruption",
)
VERBS = ("improve", "review", "strengthen", "make sure of", "develop", "monitor")
OBJECTS = (
    "how it records decisions and actions",
    "the supervision of investigations",
    "the quality of strategy discussions",
    "the time it takes to answer emergency and non-emergency calls",
    "how it shares information with partner organisations",
    "the training given to frontline officers",
    "its use of data to understand demand",
    "the risk assessment of medium- and low-risk cases",
    "the welfare of officers and staff",
    "how it identifies repeat victims",
)
GRADES = ("Outstanding", "Good", "Adequate", "Requires improvement", "Inadequate")
GRADE_WEIGHTS = (1, 4, 5, 4, 1)
PEEL_AREAS = (
    ("Crime data integrity", "recording crime"),
    ("Police powers and treating the public fairly and respectfully", "using police powers"),
    ("Preventing and deterring crime and antisocial behaviour, and reducing vulnerability", "prevention"),
    ("Responding to the public", "responding to the public"),
    ("Investigating crime", "investigating crime"),
    ("Protecting vulnerable people", "protecting vulnerable people"),
    ("Managing offenders and suspects", "managing offenders"),
    ("Disrupting serious organised crime", "tackling serious and organised crime"),
    ("Building, supporting and protecting the workforce", "developing a positive workplace"),
    ("Leadership and force management", "leadership and force management"),
)
NCPI_SECTIONS = (
    "Leadership, management and governance",
    "Initial contact",
    "Assessment and help",
    "Investigation",
    "Decision making",
    "Trusted adult",
    "Managing those posing a risk to children",
    "Police detention",
)
AUDIT_AREAS = (
    "Cases assessed involving enquiries under section 47 of the Children Act 1989",
    "Cases assessed involving referrals relating to domestic abuse incidents or crimes",
    "Cases assessed involving children at risk from child sexual exploitation",
    "Cases assessed involving missing and absent children",
    "Cases assessed involving children detained in police custody",
)
TIMESCALES = ("immediately", "within three months", "within six months")
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class GeneratedDoc:
    """One generated file and its manifest entry."""

    doc_id: str
    file: str
    text: str
    manifest: dict[str, str]


class _Writer:
    """Sentence and paragraph makers that share one seeded random source."""

    def __init__(self, rng: random.Random, short: str, full: str) -> None:
        self.r = rng
        self.short = short
        self.full = full

    def pick(self, seq: tuple[str, ...]) -> str:
        return seq[self.r.randrange(len(seq))]

    def sentence(self) -> str:
        r = self.r
        forms = (
            lambda: f"{self.full} uses {self.pick(SYSTEMS)} to record {self.pick(THEMES)} cases.",
            lambda: f"The {self.pick(UNITS)} works with {self.pick(PARTNERS)} to safeguard children.",
            lambda: f"Officers understand their responsibilities under {self.pick(LEGISLATION)}.",
            lambda: (
                f"We reviewed {r.randint(20, 120)} case files and found that {r.randint(5, 95)} percent "
                f"met the expected standard."
            ),
            lambda: f"The constabulary needs to {self.pick(VERBS)} {self.pick(OBJECTS)}.",
            lambda: f"Supervisors don't always record their rationale when cases involve {self.pick(THEMES)}.",
            lambda: (
                f"In the year ending 31 March {r.randint(2019, 2024)}, the force recorded "
                f"{r.randint(1000, 20000):,} incidents of {self.pick(THEMES)}."
            ),
            lambda: (
                f"Senior leaders in {self.short} have a clear plan for {self.pick(THEMES)}, but it isn't "
                f"yet embedded across the force."
            ),
            lambda: f"Information is shared with {self.pick(PARTNERS)} through the {self.pick(UNITS)}.",
            lambda: f"Checks on {self.pick(SYSTEMS)} are not always completed before a decision is made.",
        )
        return forms[r.randrange(len(forms))]()

    def paragraph(self, lo: int = 2, hi: int = 5) -> str:
        return " ".join(self.sentence() for _ in range(self.r.randint(lo, hi)))

    def heading(self) -> str:
        r = self.r
        forms = (
            lambda: f"The constabulary needs to {self.pick(VERBS)} {self.pick(OBJECTS)}",
            lambda: f"The force has effective arrangements for {self.pick(THEMES)}",
            lambda: f"The {self.pick(UNITS).split(' (')[0]} works well with {self.pick(PARTNERS)}",
            lambda: f"The constabulary doesn't always {self.pick(VERBS)} {self.pick(OBJECTS)}",
            lambda: f"Use of {self.pick(SYSTEMS)} for {self.pick(THEMES)} is inconsistent",
        )
        text = forms[r.randrange(len(forms))]()
        return text[0].upper() + text[1:]

    def bullets(self, n: int) -> list[str]:
        items = [f"  • {self.pick(VERBS)} {self.pick(OBJECTS)};" for _ in range(n)]
        items[-1] = items[-1][:-1] + "."
        if n > 1:
            items[-2] = items[-2] + " and"
        return items


def _peel(rng: random.Random, index: int, short: str, full: str) -> GeneratedDoc:
    w = _Writer(rng, short, full)
    year = rng.choice((2021, 2022, 2023, 2024))
    month = rng.randint(1, 12)
    areas = [a for a in PEEL_AREAS if rng.random() < 0.85] or list(PEEL_AREAS[:3])
    grades = {title: rng.choices(GRADES, GRADE_WEIGHTS)[0] for title, _ in areas}
    contents = ["Overall summary\t1", "Our judgments\t1"]
    body: list[str] = []
    page = 2
    for title, phrase in areas:
        contents.append(f"{title}\t{page}")
        grade = grades[title]
        body += [title, "", grade.replace(" ", "\n") if grade == "Requires improvement" else grade, ""]
        body += [f"{full} is {grade.lower()} at {phrase}.", ""]
        if rng.random() < 0.8:
            contents.append(f"Areas for improvement\t{page}")
            body += ["Areas for improvement", ""]
            for _ in range(rng.randint(1, 3)):
                body += [w.heading(), "", w.paragraph(), ""]
                if rng.random() < 0.5:
                    body += [w.paragraph(), ""]
        if rng.random() < 0.4:
            contents.append(f"Innovative practice\t{page}")
            body += ["Innovative practice", "", w.heading(), "", w.paragraph(), ""]
        contents.append(f"Main findings\t{page + 1}")
        body += ["Main findings", "", f"In this section we set out our main findings that relate to {phrase}.", ""]
        for _ in range(rng.randint(2, 5)):
            body += [w.heading(), "", w.paragraph(3, 6), ""]
            for _ in range(rng.randint(0, 2)):
                body += [w.paragraph(), ""]
        page += rng.randint(2, 4)
    # The judgments table: one row per position, cells by grade column, as the web page flattens it.
    columns: dict[str, list[str]] = {g: [t.split(",")[0] for t, _ in areas if grades[t] == g] for g in GRADES}
    rows = max(len(v) for v in columns.values())
    table = ["\t".join(GRADES)]
    for i in range(rows):
        table.append("\t".join(columns[g][i] if i < len(columns[g]) else "" for g in GRADES))
    text_lines = [
        "",
        f"PEEL {year}–{(year + 2) % 100:02d}",
        "",
        "Police effectiveness, efficiency and legitimacy",
        "",
        f"An inspection of {full}",
        "",
        "Contents",
        "",
        *contents,
        "",
        "Overall summary",
        "",
        "Our judgments",
        "",
        f"Our inspection assessed how good {full} is in {len(areas)} areas of policing. "
        f"We make graded judgments in {len(areas)} of these {len(areas)} as follows:",
        "",
        *table,
        "",
        "HM Inspector's summary",
        "",
        w.paragraph(4, 7),
        "",
        w.paragraph(3, 6),
        "",
        *body,
        f"{MONTHS[month - 1]} {year} | © HMICFRS {year} | ISBN: 978-1-80168-{index:03d}-0",
        "",
    ]
    doc_id = f"{short.lower().replace(' ', '-')}-peel-{year}-{index:04d}"
    return GeneratedDoc(
        doc_id=doc_id,
        file=f"{doc_id}.txt",
        text="\n".join(text_lines),
        manifest={
            "id": doc_id,
            "file": f"{doc_id}.txt",
            "title": f"PEEL {year}: An inspection of {full}",
            "force": full,
            "programme": cycle_of_year(year),
            "kind": "report",
            "published": f"{year}-{month:02d}",
        },
    )


def _ncpi(rng: random.Random, index: int, short: str, full: str) -> GeneratedDoc:
    w = _Writer(rng, short, full)
    year = rng.choice((2019, 2020, 2021, 2022))
    day, month = rng.randint(1, 28), rng.randint(1, 12)
    lines = [
        f"{short} – National child protection inspection",
        "",
        f"Published on: {day} {MONTHS[month - 1]} {year}",
        "",
        "Foreword",
        "",
        w.paragraph(3, 5),
        "",
        "Summary",
        "",
        f"This report is a summary of the findings of our inspection of police child protection services in "
        f"{short}, which took place in {MONTHS[(month + 5) % 12]} {year - 1}.",
        "",
        "Main findings from the inspection",
        "",
        w.paragraph(3, 6),
        "",
        "Specific areas for improvement include:",
        "",
        *w.bullets(rng.randint(3, 6)),
        "",
        "We also saw examples of good work. Specific areas include:",
        "",
        *w.bullets(rng.randint(2, 4)),
        "",
    ]
    good, ri, inad = rng.randint(5, 30), rng.randint(5, 30), rng.randint(2, 30)
    lines += [
        f"During our inspection, we examined {good + ri + inad} cases where the police had identified children at "
        f"risk. We assessed the constabulary's child protection practice as good in {good} cases, requiring "
        f"improvement in {ri} cases and inadequate in {inad} cases.",
        "",
        "1. Introduction",
        "",
        w.paragraph(),
        "",
        "2. Context for the constabulary",
        "",
        w.paragraph(),
        "",
    ]
    number = 3
    for title in NCPI_SECTIONS:
        if rng.random() < 0.25:
            continue
        lines += [f"{number}. {title}", ""]
        number += 1
        for _ in range(rng.randint(2, 4)):
            lines += [w.heading(), "", w.paragraph(3, 6), ""]
            if rng.random() < 0.3:
                lines += [f"A {rng.randint(12, 17)}-year-old girl was reported missing. {w.sentence()}", ""]
        if rng.random() < 0.6:
            timescale = w.pick(TIMESCALES)
            lines += [
                "Recommendations",
                "",
                f"We recommend that, {timescale}, {full} should {w.pick(VERBS)} {w.pick(OBJECTS)}, "
                "paying attention to:",
                "",
                *w.bullets(rng.randint(2, 4)),
                "",
            ]
        if title == "Leadership, management and governance":
            lines += [f"{number}. Case file analysis", "", "Results of case file reviews", ""]
            number += 1
            lines += [
                "Outcomes of cases assessed by HMICFRS",
                "",
                f"  • {good} good",
                f"  • {ri} requiring improvement",
                f"  • {inad} inadequate.",
                "",
            ]
            for area in rng.sample(AUDIT_AREAS, rng.randint(2, len(AUDIT_AREAS))):
                g, q, i = rng.randint(0, good // 2 + 1), rng.randint(0, ri // 2 + 1), rng.randint(0, inad // 2 + 1)
                lines += [
                    area,
                    "",
                    f"{area.replace('Cases assessed involving ', '').capitalize()}:",
                    "",
                    f"  • {g} good",
                    f"  • {q} requiring improvement",
                    f"  • {i} inadequate.",
                    "",
                    "Common themes include:",
                    "",
                    *w.bullets(rng.randint(2, 5)),
                    "",
                ]
    lines += ["Next steps", "", w.paragraph(2, 3), ""]
    doc_id = f"{short.lower().replace(' ', '-')}-ncpi-{year}-{index:04d}"
    return GeneratedDoc(
        doc_id=doc_id,
        file=f"{doc_id}.txt",
        text="\n".join(lines),
        manifest={
            "id": doc_id,
            "file": f"{doc_id}.txt",
            "title": f"{short} – National child protection inspection",
            "force": full,
            "programme": "National child protection inspection",
            "kind": "report",
            "published": f"{year}-{month:02d}-{day:02d}",
        },
    )


def _press(rng: random.Random, index: int, short: str, full: str, announces: GeneratedDoc) -> GeneratedDoc:
    w = _Writer(rng, short, full)
    lines = [
        f"{full} must improve its response to children at risk, says inspectorate",
        "",
        w.paragraph(2, 3),
        "",
        "The inspectorate identified several areas for improvement, including:",
        "",
        *w.bullets(rng.randint(2, 5)),
        "",
        "Inspectors also found examples of good practice. Improvements include:",
        "",
        *w.bullets(rng.randint(2, 3)),
        "",
        "Notes to editors",
        "",
        "Get the report",
        "",
        "Contact the HMICFRS press office for more information.",
        "",
    ]
    doc_id = f"{announces.doc_id}-press-release"
    return GeneratedDoc(
        doc_id=doc_id,
        file=f"{doc_id}.txt",
        text="\n".join(lines),
        manifest={
            "id": doc_id,
            "file": f"{doc_id}.txt",
            "force": full,
            "programme": announces.manifest["programme"],
            "kind": "press release",
            "announces": announces.doc_id,
        },
    )


_PILLARS = (
    ("How efficient is the force at keeping people safe and reducing crime?", "efficiency"),
    ("How effective is the force at keeping people safe and reducing crime?", "effectiveness"),
    ("How legitimate is the force at keeping people safe and reducing crime?", "legitimacy"),
)


def _pillar_sentence(w: _Writer) -> str:
    forms = (
        lambda: f"The force understands the demand it faces from {w.pick(THEMES)}.",
        lambda: f"It works closely with {w.pick(PARTNERS)} to plan its services.",
        lambda: f"Its plans for {w.pick(THEMES)} are realistic and well developed.",
        lambda: f"The constabulary reviews {w.pick(OBJECTS)} every year.",
        lambda: f"However, it does not yet {w.pick(VERBS)} {w.pick(OBJECTS)} consistently.",
        lambda: f"Senior leaders have a clear understanding of {w.pick(THEMES)}.",
    )
    return forms[w.r.randrange(len(forms))]()


def _pillar(rng: random.Random, index: int, short: str, full: str) -> GeneratedDoc:
    """A 2014-2019 PEEL pillar page: question, grade sentence, findings in prose, an earlier grade retold."""
    w = _Writer(rng, short, full)
    year = rng.choice((2015, 2016, 2017, 2018))
    question, pillar = _PILLARS[rng.randrange(len(_PILLARS))]
    grade = rng.choices(GRADES, GRADE_WEIGHTS)[0].lower()
    lines = [
        "Skip to content",
        "",
        f"{short} PEEL {year}",
        "",
        question,
        "",
        f"Last updated {rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{year}",
        "",
        f"{full} has been assessed as {grade} in respect of the {pillar} with which it keeps people safe and "
        "reduces crime.",
        "",
    ]
    for _ in range(rng.randint(2, 4)):
        lines += [" ".join(_pillar_sentence(w) for _ in range(rng.randint(2, 5))), ""]
    lines += [
        f"Its plans for {w.pick(THEMES)} are ambitious. These include:",
        "",
        *w.bullets(2),
        "",
        f"In {year - 1} we assessed the force as {grade} for meeting current demand.",
        "",
    ]
    doc_id = f"{short.lower().replace(' ', '-')}-peel-{year}-{pillar}-{index:04d}"
    return GeneratedDoc(
        doc_id=doc_id,
        file=f"{doc_id}.txt",
        text="\n".join(lines),
        manifest={
            "id": doc_id,
            "file": f"{doc_id}.txt",
            "title": f"{short} PEEL {year} – {pillar.capitalize()}",
            "force": full,
            "programme": cycle_of_year(year),
            "kind": "report",
        },
    )


def _review(rng: random.Random, index: int, short: str, full: str) -> GeneratedDoc:
    """A child protection post-inspection review: the earlier inspection retold, then the review's verdicts."""
    w = _Writer(rng, short, full)
    year = rng.choice((2016, 2017, 2018, 2019))
    lines = [
        f"{short} – National child protection post-inspection review",
        "",
        f"Published on: {rng.randint(1, 28)} {w.pick(MONTHS)} {year + 1}",
        "",
        "Introduction",
        "",
        f"The {year} inspection",
        "",
        f"In {w.pick(MONTHS)} {year}, HMICFRS inspected the child protection work of {full}. This concluded:",
        "",
        w.paragraph(2, 3),
        "",
        "The post-inspection review",
        "",
        f"We returned to the force in {w.pick(MONTHS)} {year + 1} to assess its progress.",
        "",
        "We found that the force has made good progress. In particular:",
        "",
        *w.bullets(rng.randint(2, 4)),
        "",
        "However, the force still needs to improve in some areas, including:",
        "",
        *w.bullets(rng.randint(2, 3)),
        "",
    ]
    doc_id = f"{short.lower().replace(' ', '-')}-ncpi-review-{year + 1}-{index:04d}"
    return GeneratedDoc(
        doc_id=doc_id,
        file=f"{doc_id}.txt",
        text="\n".join(lines),
        manifest={
            "id": doc_id,
            "file": f"{doc_id}.txt",
            "title": f"{short} – National child protection post-inspection review",
            "force": full,
            "programme": "National child protection post-inspection review",
            "kind": "report",
        },
    )


def _press_found(rng: random.Random, index: int, short: str, full: str) -> GeneratedDoc:
    """A review press release: recap, "pleased / concerned to find:" lists, inspector's and chief's words."""
    w = _Writer(rng, short, full)
    year = rng.choice((2015, 2016, 2017))

    def spaced(items: list[str]) -> list[str]:
        return [line for item in items for line in (item.replace("  •", "▪"), "")]

    lines = [
        f"{full} has improved how it protects children, but more work is needed",
        "",
        f"HM Inspectorate of Constabulary has today published a post-inspection review of {full}.",
        "",
        "Get the report",
        "",
        f"HMIC published an initial report in {w.pick(MONTHS)} {year - 1} on the child protection work of {full}. "
        f"This found a clear commitment to children but identified weaknesses in {w.pick(OBJECTS)}.",
        "",
        "Inspectors were pleased to find:",
        "",
        *spaced(w.bullets(rng.randint(2, 4))),
        "However, inspectors were concerned to find:",
        "",
        *spaced(w.bullets(rng.randint(2, 3))),
        "HM Inspector of Constabulary said:",
        "",
        f"\u201cI am encouraged by the progress {full} has made since our original inspection.\u201d",
        "",
        "The chief constable said:",
        "",
        "\u201cWe welcome the report and accept that there is more to do.\u201d",
        "",
        "Notes",
        "",
        "1. HMIC is inspecting the child protection work of every police force in England and Wales.",
        "",
    ]
    doc_id = f"{short.lower().replace(' ', '-')}-ncpi-review-{year}-press-release-{index:04d}"
    return GeneratedDoc(
        doc_id=doc_id,
        file=f"{doc_id}.txt",
        text="\n".join(lines),
        manifest={
            "id": doc_id,
            "file": f"{doc_id}.txt",
            "force": full,
            "programme": "National child protection post-inspection review",
            "kind": "press release",
        },
    )


def generate(n: int, seed: int = 8) -> list[GeneratedDoc]:
    """``n`` documents: PEEL reports and pillar pages, child-protection reports and reviews, press releases."""
    rng = random.Random(seed)
    docs: list[GeneratedDoc] = []
    while len(docs) < n:
        index = len(docs)
        short, full = FORCES[rng.randrange(len(FORCES))]
        roll = rng.random()
        last_report = next((d for d in reversed(docs) if d.manifest["kind"] == "report"), None)
        if (
            roll < 0.15
            and last_report is not None
            and not any(d.doc_id == f"{last_report.doc_id}-press-release" for d in docs)
        ):
            force = last_report.manifest["force"]
            docs.append(_press(rng, index, short, force, last_report))
        elif roll < 0.2:
            docs.append(_press_found(rng, index, short, full))
        elif roll < 0.5:
            docs.append(_peel(rng, index, short, full))
        elif roll < 0.6:
            docs.append(_pillar(rng, index, short, full))
        elif roll < 0.85:
            docs.append(_ncpi(rng, index, short, full))
        else:
            docs.append(_review(rng, index, short, full))
    return docs


def _toml_value(value: str) -> str:
    if len(value) == 10 and value[4] == "-" and value[7] == "-" and value.replace("-", "").isdigit():
        return value  # a TOML local date, as the shipped manifest writes it
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_corpus(n: int, out_dir: Path | None = None, *, seed: int = 8) -> Path:
    """Write ``n`` generated documents and their manifest; reuse the directory if it is already complete."""
    # The version names the generator's formats: a corpus written by an older generator is not reused.
    target = (out_dir or DEFAULT_OUT) / f"corpus-{n}-s{seed}-v3"
    stamp = target / ".complete"
    if stamp.exists():
        return target
    target.mkdir(parents=True, exist_ok=True)
    docs = generate(n, seed)
    manifest = ["# Generated by bench/corpus.py: synthetic documents for benchmarks, not real reports.", ""]
    for doc in docs:
        (target / doc.file).write_text(doc.text, encoding="utf-8")
        manifest.append("[[document]]")
        manifest += [f"{k} = {_toml_value(v)}" for k, v in doc.manifest.items()]
        manifest.append("")
    (target / "manifest.toml").write_text("\n".join(manifest), encoding="utf-8")
    stamp.write_text("ok\n", encoding="utf-8")
    return target


def main() -> None:
    """Command line: write a corpus of N documents and print its directory."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("out", nargs="?", type=Path, default=None)
    parser.add_argument("--seed", type=int, default=8)
    args = parser.parse_args()
    path = write_corpus(args.n, args.out, seed=args.seed)
    size = sum(p.stat().st_size for p in path.glob("*.txt"))
    print(f"{path}  ({args.n} documents, {size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
