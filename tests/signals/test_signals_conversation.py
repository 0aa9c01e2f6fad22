"""Conversation context, pure: joining one sender's messages, naming who carried what, direction."""

from __future__ import annotations

from datetime import UTC, datetime

from lurewatch.records import Message
from lurewatch.signals import conversation, lure
from lurewatch.signals.views import MessageView


def _lure(text: str):
    return lure.detect(MessageView(message=Message(id="t", text=text), text=text))


def _msg(i: int, text: str, day: int, sender: str = "s1") -> Message:
    return Message(id=f"m{i}", text=text, sender=sender, sent_at=datetime(2025, 3, day, tzinfo=UTC))


OPENER = "Hello, I enjoyed your talk at the fair last month. Glad to connect."
MOVE = "Could we continue on WhatsApp? It is easier for me."
PAID = "Our client would pay USD 3,000 for a short report on the negotiations."


def test_join_keeps_each_message_findable():
    joined = conversation.join(["ab", "", "cde"])
    assert joined.text == "ab\n\n\n\ncde"
    for i, (start, end) in enumerate(joined.spans):
        assert joined.text[start:end] == ["ab", "", "cde"][i]
    assert joined.message_at(joined.spans[2][0]) == 2
    assert joined.message_at(2) is None  # the separator belongs to no message


def test_a_harmless_opener_then_whatsapp_is_an_escalation_naming_each_message():
    messages = [_msg(1, OPENER, 1), _msg(2, MOVE, 3)]
    thread = conversation.read_thread("c1", messages, [OPENER, MOVE], _lure)
    found = thread.escalation
    assert found is not None
    assert found.values["opener"] == "m1" and found.values["escalation"] == "m2"
    assert "message 1 of 2025-03-01" in found.explanation
    assert "message 2 of 2025-03-03" in found.explanation and "WhatsApp" in found.explanation
    assert {c.message_id for c in thread.carriers if c.signal.startswith("lure.offplatform")} == {
        "m2"
    }
    # the joined text is read as a whole: its evidence spans index the joined text
    for e in thread.evidence:
        if e.span is not None:
            assert thread.joined.text[e.span[0] : e.span[1]] == e.quote


def test_no_escalation_when_the_opener_is_a_lure_already_or_nothing_escalates():
    lure_first = [_msg(1, PAID, 1), _msg(2, MOVE, 2)]
    assert conversation.read_thread("c", lure_first, [PAID, MOVE], _lure).escalation is None
    calm = "Thanks, talk soon."
    harmless = [_msg(1, OPENER, 1), _msg(2, calm, 2)]
    assert conversation.read_thread("c", harmless, [OPENER, calm], _lure).escalation is None
    alone = [_msg(1, MOVE, 1)]
    assert conversation.read_thread("c", alone, [MOVE], _lure).escalation is None


def test_a_paid_request_after_an_opener_escalates_too():
    thread = conversation.read_thread(
        "c", [_msg(1, OPENER, 1), _msg(2, PAID, 4)], [OPENER, PAID], _lure
    )
    assert thread.escalation is not None
    assert any(c.signal.startswith("lure.paid") for c in thread.carriers if c.index == 1)


def test_context_evidence_names_the_conversation_without_a_span():
    thread = conversation.read_thread(
        "c9", [_msg(1, OPENER, 1), _msg(2, MOVE, 3)], [OPENER, MOVE], _lure
    )
    e = conversation.context_evidence(thread, 0, 0.8)
    assert e.signal == "conversation.context" and e.span is None and e.strength == 0.8
    assert e.values["conversation_id"] == "c9" and e.values["of"] == 2
    assert any(c["message_id"] == "m2" for c in e.values["carriers"])


def test_order_puts_undated_messages_last():
    undated = Message(id="z", text="x")
    dated = [_msg(2, "b", 5), _msg(1, "a", 2)]
    ordered = sorted([undated, *dated], key=conversation.order_key)
    assert [m.id for m in ordered] == ["m1", "m2", "z"]


def test_own_messages_are_outgoing_or_from_an_owner():
    assert conversation.is_own(Message(id="a", direction="outgoing"))
    assert conversation.is_own(Message(id="b", sender="me"), owners={"me"})
    assert not conversation.is_own(Message(id="c", sender="them", direction="incoming"), {"me"})
    assert not conversation.is_own(Message(id="d"))
