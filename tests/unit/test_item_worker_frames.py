"""The item worker's wire format: length-prefixed pickles survive any split of the byte stream."""

from __future__ import annotations

from crawler.item_worker.frames import FrameReader, encode
from crawler.items import ArticleItem


def test_messages_cut_anywhere_come_out_whole_and_in_order() -> None:
    messages = [("page", 1, n, {"body": "Hội nghị lần thứ " * n}) for n in range(1, 40)]
    stream = b"".join(encode(m) for m in messages)
    for size in (1, 3, 7, 64, 1000, len(stream)):
        reader = FrameReader()
        out = []
        for start in range(0, len(stream), size):
            out.extend(reader.feed(stream[start:start + size]))
        assert out == messages and reader.pending == 0


def test_an_incomplete_message_waits_for_its_rest() -> None:
    frame = encode(("done", 1, 7, "item", ArticleItem(url="http://x/a", site="s", title="Tiêu đề"), [], []))
    reader = FrameReader()
    assert reader.feed(frame[:-1]) == [] and reader.pending == len(frame) - 1
    (message,) = reader.feed(frame[-1:])
    assert message[4].title == "Tiêu đề"
