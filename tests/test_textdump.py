"""The text-dump cleaner on self-written pages: body kept in order, furniture dropped."""

from flashpoint.ingest.textdump import best_run, body_text, clean_dump, is_comments_heading

from conftest import WIRE_BODY, WIRE_DUMP


def test_textdump_keeps_exactly_the_article_paragraphs():
    body = body_text(clean_dump(WIRE_DUMP))
    assert body.split("\n\n") == WIRE_BODY


def test_textdump_drops_teaser_of_another_story_inside_the_article():
    body = body_text(clean_dump(WIRE_DUMP))
    assert "Port Reopens" not in body
    assert "Shipping resumed" not in body


def test_textdump_drops_caption_share_bar_comments_and_footer():
    body = body_text(clean_dump(WIRE_DUMP))
    for furniture in ("Photo: AFP", "Share On Facebook", "gets less attention", "Copyright", "Markets close"):
        assert furniture not in body


def test_textdump_a_page_with_only_menus_has_no_body():
    menu = "\n".join(f"  • Section {i}" for i in range(40))
    assert clean_dump(menu) == []


def test_textdump_declined_to_comment_is_prose_not_a_comments_heading():
    assert not is_comments_heading("The ministry declined to comment.", 5)
    assert is_comments_heading("34 Comments", 2)
    assert is_comments_heading("Leave a Reply", 3)


def test_textdump_best_run_finds_the_maximum_sum_block():
    assert best_run([-1.0, 5.0, -2.0, 4.0, -9.0, 3.0]) == (1, 4, 7.0)


def test_textdump_list_of_teasers_after_the_article_is_not_body():
    article = "\n\n".join(WIRE_BODY)
    teasers = "\n\n".join(
        f"• Headline number {i} about another matter\nReporter {i}\n\nA short teaser sentence about story {i} goes here for readers."
        for i in range(6)
    )
    body = body_text(clean_dump(f"Headline\n\n{article}\n\nMore from the Courier\n\n{teasers}\n"))
    assert body.split("\n\n") == WIRE_BODY


def test_a_date_marker_glued_to_the_first_sentence_is_cut_off_it():
    from flashpoint.ingest.textdump import clean_dump
    dump = (" date 2025-02-16 Two people were killed when gunmen attacked a bus near Kaduna on Sunday, police said.\n"
            "The attackers fled into the forest, a police spokesman said.\n")
    body = "\n".join(line.text for line in clean_dump(dump))
    assert body.startswith("Two people were killed")
    assert "2025-02-16" not in body


def test_html_entities_left_in_a_dump_are_decoded():
    from flashpoint.ingest.textdump import clean_dump
    dump = ("A car bomb exploded near Mogadishu&#039;s airport on Monday, killing three people, police said.\n"
            "Police &amp; soldiers sealed off the area, a witness said.\n")
    body = "\n".join(line.text for line in clean_dump(dump))
    assert "Mogadishu's airport" in body and "Police & soldiers" in body
