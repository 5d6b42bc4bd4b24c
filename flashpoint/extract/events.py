"""From a clean article to its events: the extraction stage.

    events = extract_article(article)          # -> list[Event], the contract of DESIGN.md

    body ─> sentences ─> lexical prefilter ─> spaCy parse (only those) ─> frames
         ─> actors, place, date, casualties, reporter per frame ─> sub-event type
         ─> denials link counter-claims ─> mentions of one incident merged ─> Events
"""

from __future__ import annotations

import hashlib
from dataclasses import replace

from flashpoint.extract.context import ArticleScope
from flashpoint.extract.fields import (attribute_from_next_sentence, contest_by_denial_of_the_accused,
                                       fill_missing_sides, link_denials, name_unknown_perpetrators,
                                       name_unknown_victims, order_demonstration_sides, to_event,
                                       count_the_unhurt_dead)
from flashpoint.extract.frames import sentence_frames
from flashpoint.extract.incidents import fold_toll_reports, merge_mentions
from flashpoint.extract.learned import SNIPPET_SENTENCES, drop_unlikely_incidents, type_snippet
from flashpoint.extract.lexicon import ACLED_FAMILIES, cues_in, load_lexicon, sentence_may_hold_event
from flashpoint.extract.mentions import (INTENT_FAMILIES, MAX_FRAMES_PER_SENTENCE, Mention, inherit_place_within_paragraph,
                                         mention_from_frame)
from flashpoint.extract.where import SPECIFICITY, is_landmark, listed_places
from flashpoint.extract.scope import drop_old_background, drop_out_of_scope, keep_draft
from flashpoint.extract.sentences import publication_day, split_sentences
from flashpoint.model import Article, Event
from flashpoint.resolve.actors import ActorCatalog
from flashpoint.resolve.gazetteer import Gazetteer
from flashpoint.resolve.places import find_place_mentions, resolve_mentions


#: Bounds on the work one document can ask for: a long report has some dozens of sentences
#: with a trigger word and a wire sentence a few triggers; a megabyte of them is an attack.
MAX_CANDIDATES = 250


def share_the_sentence_source(sentence_drafts: list[Mention]) -> None:
    """ "Militants killed 12 soldiers and briefly captured a base, officials said": one source for
    every event of the sentence, however the parser hung the reporting verb."""
    source = next((d for d in sentence_drafts if d.reporter), None)
    if source is None:
        return
    for d in sentence_drafts:
        if d.reporter is None and not d.denial:
            d.reporter, d.reporter_rank, d.reporter_actor = source.reporter, source.reporter_rank, source.reporter_actor


def candidate_sentences(article: Article, prefilter: bool = True):
    """(the article's sentences, those worth parsing): every one in a short snippet, whose event may
    use no trigger word; else those the lexical prefilter passes."""
    sentences = split_sentences(article.body)
    snippet = len(sentences) <= SNIPPET_SENTENCES
    return sentences, [s for s in sentences if snippet or not prefilter or sentence_may_hold_event(s.text)][:MAX_CANDIDATES]


def extract_articles(articles: list[Article], gazetteer: Gazetteer | None = None, include_plover: bool = True,
                     batch_size: int = 64) -> list[list[Event]]:
    """The events of each article, as `extract_article` gives them, with the sentences of all the
    articles parsed in one batch (spaCy's cost per call is paid once, not once per article)."""
    from flashpoint.nlp import load_nlp

    planned = [candidate_sentences(a) for a in articles]
    docs = iter(load_nlp().pipe([s.text for _, candidates in planned for s in candidates], batch_size=batch_size))
    return [extract_article(a, gazetteer, include_plover=include_plover,
                            planned=(sentences, candidates, [next(docs) for _ in candidates]))
            for a, (sentences, candidates) in zip(articles, planned)]


def extract_each(articles: list[Article], gazetteer: Gazetteer | None = None,
                 include_plover: bool = True) -> list[tuple[list[Event] | None, str | None]]:
    """(events, None) or (None, why it failed) per article: parsed together, and when that fails,
    one by one, so that one bad article costs only its own events."""
    try:
        return [(events, None) for events in extract_articles(articles, gazetteer, include_plover)]
    except Exception:
        out = []
        for article in articles:
            try:
                out.append((extract_article(article, gazetteer, include_plover=include_plover), None))
            except Exception as exc:  # one article must not stop a batch
                out.append((None, f"events could not be extracted ({type(exc).__name__}: {exc})"))
        return out


def extract_article(article: Article, gazetteer: Gazetteer | None = None, nlp=None,
                    include_plover: bool = True, prefilter: bool = True, planned=None) -> list[Event]:
    """The events of one article (`prefilter=False` parses every sentence, for diplomacy-only text).
    `planned` is (sentences, candidates, their parses) when `extract_articles` parsed them already."""
    from flashpoint.nlp import load_nlp

    gazetteer = gazetteer or Gazetteer.open()
    catalog = ActorCatalog.load()
    sentences, candidates = planned[:2] if planned else candidate_sentences(article, prefilter)
    snippet = len(sentences) <= SNIPPET_SENTENCES  # read whole: its event may use no trigger word
    if not candidates:
        return []
    nlp = nlp or load_nlp()
    scope = ArticleScope(article, sentences, gazetteer, catalog)
    pub = publication_day(article.published)
    lexicon = load_lexicon()
    drafts: list[Mention] = []
    snippet_parses = []
    triggered = False  # a trigger word of an ACLED family fit somewhere (whatever the rules then decided)
    parsed = planned[2] if planned else nlp.pipe([s.text for s in candidates], batch_size=32)
    for sentence, doc in zip(candidates, parsed):
        mentions = find_place_mentions(doc, gazetteer, offset=sentence.start, known=scope.ctx.by_name)
        resolve_mentions(mentions, article.body, gazetteer, scope.ctx, strict=True)
        for m in mentions:
            if m.place is None and m.likely_place:
                m.place = scope.unresolved_place(m)
        scope.history.extend((m.start, m.place) for m in mentions if m.place is not None and not m.demonym
                             and not m.qualifier and not is_landmark(article.body, m.start))
        cues = cues_in(sentence.text)
        if snippet:
            snippet_parses.append((sentence, doc, mentions, cues))
        scope.position = sentence.start
        sentence_drafts = []
        for frame in sentence_frames(doc[:], lexicon)[:MAX_FRAMES_PER_SENTENCE]:
            triggered = triggered or frame.family in ACLED_FAMILIES
            if frame.negated:
                continue
            draft = mention_from_frame(frame, doc, sentence, mentions, scope, pub, cues)
            if draft is None:
                continue
            if frame.irrealis and not frame.threat and frame.family not in INTENT_FAMILIES:
                continue  # a purpose ("to retake") or plan, not an event and not a threat
            if not draft.acled and not include_plover:
                continue
            sentence_drafts.append(draft)
            listed = listed_places(draft, mentions, sentence)
            for place, text in listed:
                # One event per listed place; the sentence's toll stays with the first.
                sentence_drafts.append(replace(draft, place=place, place_text=text, killed=None, injured=None,
                                               evidence=list(draft.evidence), mentions=[], counter=set(),
                                               assoc=list(draft.assoc), distinct=True))
            draft.distinct = draft.distinct or bool(listed)
        inherit_place_within_paragraph(sentence_drafts, drafts)
        share_the_sentence_source(sentence_drafts)
        for d in sentence_drafts:
            if d.place is None and d.acled:
                # Nothing nearer: the last place the article named before it, else its country.
                d.place = scope.last_place(sentence.start, set(SPECIFICITY) - {"country", "continent", "water"}) \
                    or scope.gazetteer.country(scope.country)
                d.place_text = None
        # One count per sentence: the first violent event gets the sentence's toll.
        seen_toll = False
        for d in sentence_drafts:
            if d.killed is not None or d.injured is not None:
                if seen_toll:
                    d.killed = d.injured = None
                seen_toll = True
        drafts.extend(sentence_drafts)
    for i, d in enumerate(drafts):
        d.key = i
    fill_missing_sides(drafts, scope)
    drop_out_of_scope(drafts, scope)
    if not include_plover:
        drafts = [d for d in drafts if d.acled]
    drafts = fold_toll_reports(drop_old_background([d for d in drafts if keep_draft(d, pub)], pub))
    merged = merge_mentions(drafts)
    if snippet:
        for d in type_snippet(merged, triggered, article.body, snippet_parses, scope, pub):
            d.key = len(drafts) + 1000  # after every rule-made mention's key
            merged.append(d)
    merged = drop_unlikely_incidents(merged, pub)
    name_unknown_perpetrators(merged, scope)
    name_unknown_victims(merged, scope)
    order_demonstration_sides(merged, scope)
    count_the_unhurt_dead(merged)
    link_denials(merged)
    contest_by_denial_of_the_accused(merged, sentences, scope)
    attribute_from_next_sentence(merged, sentences, scope)
    ids = {d.key: hashlib.sha1(f"{article.id}:{d.sentence.start}:{d.trigger}:{d.key}".encode()).hexdigest()[:16]
           for d in merged}
    return [to_event(d, article, ids, article.body) for d in merged]
