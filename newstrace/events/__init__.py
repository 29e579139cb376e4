"""Events stage: PLOVER events with their actor, recipient, date, place and counts.

Triggers are verbs and nouns from ``data/events.tsv`` (single lemmas, and lemma sequences such
as "drone strike" or "call for"). Arguments come from the dependency parse: subject / agent as
source, object / passive subject / "against"-"on" phrases as target; nominal triggers take their
source from modifiers ("US drone strike"), "by" phrases and the verb that governs them ("X launched
attacks"). A participant the actors stage has no record for is read from its description: the body a
"leaders of X" phrase belongs to, a country named where an act is done ("called on Israel"), a
nationality ("Israeli jets") or a group noun ("Muslim hackers"). A definite "the attack" that only
refers back to an earlier event is linked to it instead of becoming a new event.

The package, by concern: ``triggers`` (trigger words and which uses are acts), ``arguments`` (source and
target from the parse), ``incidents`` (mentions of one incident), ``circumstances`` (date, place, counts),
``finder`` (the stage that puts them together), ``vocabulary`` (the word lists they share).
"""

from newstrace.events.finder import EventFinder
from newstrace.links import conjuncts, resolve_relative

__all__ = ["EventFinder", "conjuncts", "resolve_relative"]
