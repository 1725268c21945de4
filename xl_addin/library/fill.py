"""Which default rows a project still needs.

Filling defaults must never pile rows onto a table that already meets the profile's
minimums, nor repeat an indicator the user wrote: only requirements not yet met get
rows, a 三级 name the project has is never added twice, and filling a filled table adds
nothing.  Added rows come in the framework's order (产出 → 成本 → 效益 → 满意度, then
二级 order) so they can be inserted as a block.
"""

from __future__ import annotations

from xl_addin.core.cellvalues import label
from xl_addin.core.model import Indicator, Project
from xl_addin.library.store import Library
from xl_addin.rules.profiles import Profile, Requirement


def unmet_requirements(project: Project, profile: Profile) -> list[Requirement]:
    """The profile's minimums that no row of the project satisfies yet."""
    return [
        req for req in profile.requirements
        if not any(req.met_by(row.level1, row.level2) for row in project.indicators)
    ]


def missing_rows(project: Project, profile: Profile, category: str,
                 library: Library) -> list[Indicator]:
    """The library rows of ``category`` that meet a requirement the project misses."""
    unmet = unmet_requirements(project, profile)
    if not unmet:
        return []
    names = {label(row.level3) for row in project.indicators if row.level3}
    added: list[Indicator] = []
    for row in library.rows(category, profile.name):
        fits_frame = row.level2 in profile.framework.get(row.level1, ())
        needed = any(req.met_by(row.level1, row.level2) for req in unmet)
        if fits_frame and needed and label(row.level3) not in names:
            names.add(label(row.level3))
            added.append(row)
    return sorted(added, key=lambda row: _position(profile, row))


def _position(profile: Profile, row: Indicator) -> tuple[int, int]:
    return profile.level1.index(row.level1), profile.framework[row.level1].index(row.level2)
