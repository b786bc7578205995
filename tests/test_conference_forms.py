"""Conference facts in the forms real reports use (issue 14). Every sentence here is our own writing."""

from __future__ import annotations

from datetime import date

import pytest

from crawler.parsing.conference import SiteContext, extract_conference
from crawler.parsing.conference.days import meeting_day, opening_phrase
from crawler.parsing.conference.sentences import clean_paragraph, read_article
from crawler.sites import SITES

NO_SITE = SiteContext()


def facts(body: str, published: date | None = date(2024, 10, 4), title: str = "", site: SiteContext = NO_SITE):
    return extract_conference(title, body, published, site)


# --- who chairs -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "chairs"),
    [
        ("Sáng 3/10, Huyện ủy Lâm Thao tổ chức hội nghị BCH lần thứ 7. Tham dự hội nghị có đ/c Trần Văn Bảo – Bí thư "
         "huyện ủy chủ trì hội nghị, đ/c Lê Thị Nga – Phó bí thư huyện ủy.", ["Trần Văn Bảo"]),
        ("Sáng 3/10, Ban Chấp hành Đảng bộ tỉnh tổ chức Hội nghị lần thứ 9. Tham dự và chủ trì Hội nghị, có đồng chí "
         "Hà Văn Sơn - Bí thư Tỉnh ủy; đồng chí Vi Thị Mai - Phó Bí thư Tỉnh ủy; đồng chí Lò Văn Pánh - Chủ tịch UBND tỉnh.",
         ["Hà Văn Sơn", "Vi Thị Mai", "Lò Văn Pánh"]),
        ("Sáng 3/10, Tỉnh ủy Kon Lâm tổ chức Hội nghị lần thứ 9. Chủ trì Hội nghị có các đồng chí: Y Thanh Hà Niê, Bí thư "
         "Tỉnh ủy; Đinh Văn Lực, Phó Bí thư Tỉnh ủy; Phan Thu Hằng, Chủ tịch HĐND tỉnh.",
         ["Y Thanh Hà Niê", "Đinh Văn Lực", "Phan Thu Hằng"]),
        ("Chiều 3/10, Ban Chấp hành Đảng bộ quận khóa VI tổ chức Hội nghị lần thứ 20 dưới sự chủ trì của đồng chí "
         "Nguyễn Thị Thu Trang, Bí thư Quận ủy.", ["Nguyễn Thị Thu Trang"]),
        ("Chiều 3/10, Quận ủy Bắc Sơn tổ chức Hội nghị lần thứ 20. Đồng chí Lê Anh Quân - Bí thư Quận ủy chủ trì, đồng chí "
         "Phạm Văn Bình - Chủ tịch UBND quận đồng chủ trì hội nghị.", ["Lê Anh Quân", "Phạm Văn Bình"]),
        ("Chiều 3/10, Ban Chấp hành Đảng bộ Thành phố Hồ Chí Minh tổ chức Hội nghị lần thứ 9. Bí thư Thành ủy Thành phố Hồ "
         "Chí Minh Trần Quốc Thái chủ trì hội nghị.", ["Trần Quốc Thái"]),
        ("Chiều 3/10, Ban Chấp hành Đảng bộ Thành phố Hồ Chí Minh tổ chức Hội nghị lần thứ 9. Ông Trần Quốc Thái, Bí thư "
         "Thành ủy Thành phố Hồ Chí Minh chủ trì hội nghị.", ["Trần Quốc Thái"]),
        ("Chiều 3/10, Ban Chấp hành Đảng bộ tỉnh tổ chức Hội nghị lần thứ 9. Đồng chí Bí thư Thành ủy Mai Văn Chính chủ "
         "trì hội nghị cùng các đồng chí: Lưu Quang Huy, Phó Bí thư Tỉnh ủy; Tô Thị Bích Châu, Chủ tịch HĐND tỉnh.",
         ["Mai Văn Chính", "Lưu Quang Huy", "Tô Thị Bích Châu"]),
    ],
)
def test_chairs(body: str, chairs: list[str]) -> None:
    assert facts(body).presided_by == chairs


@pytest.mark.parametrize(
    "second",
    [
        "Đồng chí Nguyễn Văn Hải, Bí thư Tỉnh ủy dự chỉ đạo hội nghị.",
        "Đồng chí Nguyễn Văn Hải, Bí thư Tỉnh ủy phát biểu khai mạc hội nghị.",
        "Kết luận hội nghị, đồng chí Nguyễn Văn Hải, Bí thư Tỉnh ủy nhấn mạnh ba nhiệm vụ.",
    ],
)
def test_directing_opening_or_concluding_is_not_chairing(second: str) -> None:
    record = facts("Sáng 3/10, Ban Chấp hành Đảng bộ tỉnh tổ chức Hội nghị lần thứ 9. " + second)
    assert record.is_conference and record.presided_by == []


# --- where ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "level", "locality"),
    [
        ("Sáng 3/10, Huyện ủy tổ chức hội nghị BCH lần thứ 2, khóa XX.\n\nNăm 2016, huyện Kỳ Sơn phấn đấu tăng trưởng 11%.",
         "huyện", "Kỳ Sơn"),
        ("Sáng 3/10, Ban Thường vụ Thị ủy tổ chức Hội nghị BCH Đảng bộ thị xã (mở rộng).\n\nThị ủy Bình Khê đề nghị các ngành "
         "tăng tốc.", "thị xã", "Bình Khê"),
        ("Sáng 3/10, Ban Chấp hành Đảng bộ Quận 3 tổ chức Hội nghị lần thứ 7.", "quận", "3"),
        ("Sáng 3/10, Ban Chấp hành Đảng bộ TP.HCM tổ chức Hội nghị lần thứ 7.", "thành phố", "Hồ Chí Minh"),
        ("Sáng 3/10, Ban Chấp hành Đảng bộ TPHCM tổ chức Hội nghị lần thứ 7.", "thành phố", "Hồ Chí Minh"),
        ("Sáng 3/10, Ban Chấp hành Đảng bộ TP HCM tổ chức Hội nghị lần thứ 7.", "thành phố", "Hồ Chí Minh"),
        ("Sáng 3/10, Ban Chấp hành Đảng bộ Thành phố Hồ Chí Minh tổ chức Hội nghị lần thứ 7.", "thành phố", "Hồ Chí Minh"),
        ("Sáng 3/10, Đảng uỷ phường Tân Hoà tổ chức Hội nghị Ban Chấp hành Đảng bộ phường lần thứ 4.", "phường", "Tân Hòa"),
        ("Sáng 3/10, Ban Thường vụ Huyện ủy Cẩm Khê tổ chức hội nghị Ban Chấp hành Đảng bộ huyện mở rộng.", "huyện", "Cẩm Khê"),
        ("Sáng 3/10, Ban Chấp hành Đảng bộ đặc khu Hòn Ngọc tổ chức Hội nghị lần thứ 3.", "đặc khu", "Hòn Ngọc"),
    ],
)
def test_where(body: str, level: str, locality: str) -> None:
    record = facts(body)
    assert (record.level, record.locality) == (level, locality)


def test_old_and_new_tone_marks_read_as_one() -> None:
    old = facts("Sáng 3/10, Quận uỷ Thuỷ Nguyên tổ chức Hội nghị lần thứ 7, khoá XXIV.")
    new = facts("Sáng 3/10, Quận ủy Thủy Nguyên tổ chức Hội nghị lần thứ 7, khóa XXIV.")
    assert old == new and old.locality == "Thủy Nguyên" and old.term == "XXIV"


def test_a_person_after_a_ward_secretary_title_is_not_the_place() -> None:
    body = ("Sáng 28/3, Ban Chấp hành Đảng bộ phường tổ chức Hội nghị lần thứ 35. Chủ trì hội nghị là Bí thư Đảng ủy "
            "phường Phan Thị Thu Trang.")
    record = facts(body)
    assert record.locality is None and record.presided_by == ["Phan Thị Thu Trang"]


def test_district_portal_context_ends_with_the_district_tier() -> None:
    portal = SITES["thanhxuan"]
    body = "Chiều 11/8, Ban Chấp hành Đảng bộ quận tổ chức Hội nghị lần thứ hai."
    before = facts(body, date(2025, 6, 12), site=SiteContext.of_site(portal, date(2025, 6, 12)))
    after = facts(body, date(2025, 8, 12), site=SiteContext.of_site(portal, date(2025, 8, 12)))
    assert before.locality == "Thanh Xuân"
    assert after.locality is None and after.province == "Hà Nội"
    # Undated pages keep the portal's own unit: the portal wrote them about it.
    assert SiteContext.of_site(portal, None).locality == "Thanh Xuân"
    assert SiteContext.of_site(None, date(2025, 8, 12)) == SiteContext()


# --- when -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "phrase", "day"),
    [
        ("Sáng 5-1, X", "Sáng 5-1", date(2024, 1, 5)),
        ("Ngày 3-10, X", "Ngày 3-10", date(2024, 10, 3)),
        ("Sáng 3.10, X", "Sáng 3.10", date(2024, 10, 3)),
        ("Sáng ngày 3 tháng 10, X", "Sáng ngày 3 tháng 10", date(2024, 10, 3)),
        ("Chiều ngày 05 tháng 12 năm 2023, X", "Chiều ngày 05 tháng 12 năm 2023", date(2023, 12, 5)),
        ("Vào sáng 3/10, X", "Vào sáng 3/10", date(2024, 10, 3)),
        ("Trong hai ngày 2 và 3/10, X", "Trong hai ngày 2 và 3/10", date(2024, 10, 2)),
        ("Trong 2 ngày (2-3/10), X", "Trong 2 ngày (2-3/10)", date(2024, 10, 2)),
        ("Sáng 4-4-2022, X", "Sáng 4-4-2022", date(2022, 4, 4)),
        ("Sáng thứ Năm (3/10), X", "Sáng thứ Năm (3/10)", date(2024, 10, 3)),
    ],
)
def test_day_phrases(sentence: str, phrase: str, day: date) -> None:
    assert opening_phrase(sentence) == phrase
    assert meeting_day(phrase, date(2024, 10, 4), "") == day


@pytest.mark.parametrize(
    ("text", "month", "year"),
    [
        ("đánh giá nhiệm vụ năm 2017, dự kiến nhiệm vụ năm 2018", 12, 2017),
        ("tổng kết năm 2024, triển khai nhiệm vụ năm 2025", 1, 2025),
        ("sơ kết 6 tháng đầu năm 2022", 7, 2022),
        ("mục tiêu đến năm 2030, nhiệm kỳ 2020-2025", 10, None),
        ("không có năm nào", 10, None),
    ],
)
def test_year_from_the_texts_own_years(text: str, month: int, year: int | None) -> None:
    day = meeting_day(f"Ngày 5/{month}", None, text)
    assert (day.year if day else None) == year


def test_publish_stamp_glued_to_the_lead_and_lead_tags() -> None:
    assert clean_paragraph("14/12/2021Ngày 13/12, Tỉnh ủy") == "Ngày 13/12, Tỉnh ủy"
    assert clean_paragraph("Cập nhật 13:45 30-03-2019Sáng 30/3, Tỉnh ủy") == "Sáng 30/3, Tỉnh ủy"
    assert clean_paragraph("(NTQ) - Sáng 5-1, Quận ủy") == "Sáng 5-1, Quận ủy"
    assert clean_paragraph("BDK.VN - Sáng 4-4, Tỉnh ủy") == "Sáng 4-4, Tỉnh ủy"
    assert clean_paragraph("QUẢNG NAM - Sáng 4/4, Tỉnh ủy") == "Sáng 4/4, Tỉnh ủy"
    assert clean_paragraph("Hà Nội - Thủ đô") == "Hà Nội - Thủ đô"
    record = facts("14/12/2021Ngày 13/12, Tỉnh ủy Tây Sơn tổ chức Hội nghị lần thứ 7.", date(2021, 12, 14))
    assert (record.held_on_text, record.held_on) == ("Ngày 13/12", "2021-12-13")


def test_day_attached_to_the_verb_inside_the_sentence() -> None:
    record = facts("Các đại biểu thảo luận tại Hội nghị lần thứ 17 Ban Chấp hành Đảng bộ TPHCM (khai mạc chiều 21/6).",
                   date(2018, 6, 22))
    assert (record.held_on_text, record.held_on, record.session_number) == ("chiều 21/6", "2018-06-21", 17)


# --- two tiers since July 2025, and what is not a session ------------------------------------------------


def test_ward_executive_first_session_after_its_congress() -> None:
    record = facts("Chiều 22/7, Ban Chấp hành Đảng bộ phường Mai Động khóa I, nhiệm kỳ 2025-2030 tổ chức Hội nghị lần "
                   "thứ nhất thông qua quy chế làm việc. Bí thư Đảng ủy phường Đỗ Thị Hoa chủ trì hội nghị.",
                   date(2025, 7, 23))
    assert (record.level, record.locality, record.term, record.term_period, record.session_number) == (
        "phường", "Mai Động", "I", "2025-2030", 1)
    assert record.presided_by == ["Đỗ Thị Hoa"]


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("Đại hội Đảng bộ phường Vĩnh Lạc lần thứ I thành công tốt đẹp",
         "Ngay sau Đại hội, Ban Chấp hành Đảng bộ phường khóa I đã tổ chức Hội nghị lần thứ Nhất bầu Ban Thường vụ."),
        ("Bầu Ban Thường vụ khóa I",
         "Trong khuôn khổ Đại hội, Ban Chấp hành Đảng bộ phường khóa I đã tổ chức Hội nghị lần thứ nhất để bầu Bí thư."),
        ("", "Sáng 10/10, Ban Chấp hành Đảng bộ xã Đông Sơn tổ chức Hội nghị quán triệt Nghị quyết Đại hội Đảng bộ xã."),
        ("", "Ngày 5/3, Huyện ủy Yên Thế tổ chức hội nghị triển khai Nghị quyết Hội nghị lần thứ chín Ban Chấp hành "
             "Trung ương Đảng khóa XIII."),
        ("", "Chiều 5/12, Ban Thường vụ Đảng ủy xã Tân Lập tổ chức Hội nghị lần thứ 9 cho ý kiến vào các dự thảo."),
        ("", "Sáng 18/12, HĐND phường Hòa Xuân khóa I tổ chức kỳ họp thứ Năm. Trước đó, Thường trực HĐND phường đã tổ "
             "chức hội nghị liên tịch."),
        ("", "Sáng 20/1, Thành ủy tổ chức Hội nghị cán bộ chủ chốt triển khai nhiệm vụ năm 2024."),
        ("", "Chiều 30/9, UBND tỉnh tổ chức hội nghị đánh giá tình hình 9 tháng năm 2024. Đồng chí Hồ Văn Nam, Phó Bí thư "
             "Tỉnh ủy, Chủ tịch UBND tỉnh chủ trì hội nghị."),
        ("", "Sáng 2/12, Đảng ủy Quân sự tỉnh tổ chức Hội nghị ra nghị quyết lãnh đạo nhiệm vụ năm 2025."),
        ("", "Chiều 9/10, Đảng ủy phường An Phú tổ chức hội nghị tổng kết công tác tổ chức Đại hội đại biểu Đảng bộ phường "
             "lần thứ I."),
        ("", "Sáng 7/10, Thành ủy Cẩm Giang tổ chức Hội nghị trực tuyến học tập, quán triệt Nghị quyết Đại hội."),
        ("", "Sáng 5/12, Ban Chấp hành Đảng bộ Quân sự tỉnh tổ chức Hội nghị lần thứ 8 tổng kết năm 2024."),
        ("", "Sáng 5/12, Ban Chấp hành Đảng bộ Khối cơ quan tỉnh tổ chức Hội nghị lần thứ 8 tổng kết năm 2024."),
    ],
)
def test_not_a_session(title: str, body: str) -> None:
    assert not facts(body, title=title).is_conference


def test_related_article_list_never_fills_the_record() -> None:
    body = ("Sáng 14/10, quận Hoàn Mỹ khánh thành công viên ven hồ rộng 3 ha.\n\nCông viên có đường dạo bộ và sân chơi."
            "\n\nQuận ủy Đông Phong tổ chức Hội nghị lần thứ 27\n\nBan Chấp hành Đảng bộ quận Đông Phong khóa XIII sơ kết 9 "
            "tháng năm 2024")
    assert not facts(body, title="Khánh thành công viên ven hồ").is_conference
    article = read_article("Khánh thành công viên ven hồ", body)
    assert not any("Đông Phong" in s for s in article.sentences)


def test_unnumbered_periodic_session_convened_by_the_executive() -> None:
    record = facts("Sáng 2/10, Ban Chấp hành Đảng bộ xã Yên Định tổ chức hội nghị đánh giá nhiệm vụ 9 tháng năm 2025.",
                   date(2025, 10, 2))
    assert record.is_conference and (record.level, record.locality, record.session_number) == ("xã", "Yên Định", None)


def test_text_without_its_lead_concluded_by_the_committee_secretary() -> None:
    body = ("Sáu tháng đầu năm, kinh tế của huyện tăng trưởng khá.\n\nKết luận Hội nghị, đồng chí Bí thư Huyện ủy đề "
            "nghị các cấp ủy bám sát kế hoạch, hoàn thành các chỉ tiêu còn lại.")
    record = facts(body, None)
    assert record.is_conference and record.level == "huyện" and record.locality is None


def test_bare_names_listed_with_commas() -> None:
    body = ("Sáng 3/10, Tỉnh ủy Lâm Hà tổ chức Hội nghị lần thứ 9. Chủ trì Hội nghị là các đồng chí: Trần Văn Hùng, "
            "Lê Thị Mai và Phạm Quốc Việt.")
    assert facts(body).presided_by == ["Trần Văn Hùng", "Lê Thị Mai", "Phạm Quốc Việt"]


@pytest.mark.parametrize(
    ("body", "phrase", "session"),
    [
        ("Ban Chấp hành Đảng bộ tỉnh khóa XV tổ chức Hội nghị lần 20 vào sáng 3/10 tại Hội trường tỉnh.", "sáng 3/10", 20),
        ("Sáng 3/10 tại Hội trường Tỉnh ủy, Ban Chấp hành Đảng bộ tỉnh tổ chức Hội nghị lần thứ 20.", "Sáng 3/10", 20),
    ],
)
def test_day_and_session_in_looser_forms(body: str, phrase: str, session: int) -> None:
    record = facts(body)
    assert (record.held_on_text, record.held_on, record.session_number) == (phrase, "2024-10-03", session)


@pytest.mark.parametrize(
    ("body", "phrase"),
    [
        ("Hội nghị lần thứ 20 Ban Chấp hành Đảng bộ tỉnh được tổ chức vào sáng nay (3/10) tại Hội trường tỉnh.",
         "sáng nay (3/10)"),
        ("Trong không khí phấn khởi, sáng 3/10, Ban Chấp hành Đảng bộ tỉnh tổ chức Hội nghị lần thứ 20.", "sáng 3/10"),
    ],
)
def test_day_inside_the_sentence(body: str, phrase: str) -> None:
    record = facts(body, date(2024, 10, 3))
    assert (record.held_on_text, record.held_on) == (phrase, "2024-10-03")


def test_day_opening_a_later_clause() -> None:
    record = facts("Thực hiện Chương trình làm việc toàn khóa, ngày 20/7, Ban Chấp hành Đảng bộ tỉnh tổ chức Hội nghị lần "
                   "thứ 15.", date(2024, 7, 21))
    assert (record.held_on_text, record.held_on) == ("ngày 20/7", "2024-07-20")


def test_a_session_named_in_passing_is_not_the_event() -> None:
    body = "Ngày 3/10, Tỉnh ủy ban hành Nghị quyết số 10 đã được thông qua tại Hội nghị lần thứ 20."
    assert not facts(body).is_conference


def test_abbreviation_full_stop_and_iso_capture_stamp() -> None:
    record = facts("Sáng 3/10, Ban Chấp hành Đảng bộ TP. Hồ Chí Minh khóa XI tổ chức Hội nghị lần thứ 9. TS. Lê Văn "
                   "Minh, Bí thư Thành ủy chủ trì hội nghị.")
    assert (record.locality, record.term, record.presided_by) == ("Hồ Chí Minh", "XI", ["Lê Văn Minh"])
    assert clean_paragraph("date 2025-10-02 Sáng 2/10, Ban Chấp hành") == "Sáng 2/10, Ban Chấp hành"


def test_bare_dang_uy_takes_the_level_and_place_the_text_names() -> None:
    record = facts("Sáng 3/10, Đảng ủy tổ chức Hội nghị lần thứ 5, đánh giá 9 tháng năm 2025.\n\nNăm 2025, Đảng bộ xã "
                   "Hòa Sơn hoàn thành 9/12 chỉ tiêu.", date(2025, 10, 4))
    assert (record.level, record.locality, record.session_number, record.targets) == ("xã", "Hòa Sơn", 5, ["9/12"])
    lost_lead = facts("Kinh tế tăng trưởng khá.\n\nKết luận Hội nghị, đồng chí Bí thư Đảng ủy xã nhấn mạnh ba việc.", None)
    assert lost_lead.is_conference and lost_lead.level == "xã"


def test_a_secretary_concluding_counts_only_when_the_lead_is_lost() -> None:
    kept_lead = ("Sáng 3/10, huyện Gia Sơn tổ chức hội nghị tổng kết công tác năm 2024.\n\nKết luận hội nghị, đồng chí "
                 "Bí thư Huyện ủy đề nghị các xã tăng tốc.")
    assert not facts(kept_lead).is_conference


def test_a_lead_cut_short_by_the_capture_is_still_the_lead() -> None:
    body = ("Thời sự địa phương\n\nTin mới\n\nChiều 3/10, Quận ủy Bắc Sơn tổ chức Hội nghị lần thứ 21 đánh giá công tác "
            "9 tháng năm")
    record = facts(body)
    assert record.is_conference and (record.locality, record.session_number) == ("Bắc Sơn", 21)


def test_term_of_another_body_in_the_key_sentence_is_skipped() -> None:
    record = facts("Sáng 3/10, Ban Chấp hành Đảng bộ tỉnh khóa XV tổ chức Hội nghị lần thứ 20 bàn về bầu cử đại biểu Quốc "
                   "hội khóa XVI.")
    assert record.term == "XV"
    record = facts("Sáng 3/10, Ban Chấp hành Đảng bộ tỉnh tổ chức Hội nghị lần thứ 20 bàn về bầu cử đại biểu Quốc hội khóa "
                   "XVI.\n\nCác đồng chí Ủy viên Ban Chấp hành Đảng bộ tỉnh khóa XV tham dự.")
    assert record.term == "XV"


def test_publish_stamp_before_the_lead_with_a_space() -> None:
    assert clean_paragraph("14/12/2021 Ngày 13/12, Tỉnh ủy") == "Ngày 13/12, Tỉnh ủy"
    assert clean_paragraph("Thứ Hai, 14/12/2021 - 09:30 Sáng 13/12, X") == "Sáng 13/12, X"
    assert clean_paragraph("15/7/2019, Ban Chấp hành") == "15/7/2019, Ban Chấp hành"  # the meeting's own day


def test_term_of_another_level_is_not_the_committees() -> None:
    record = facts("Sáng 3/10, Huyện ủy Phú Lâm tổ chức Hội nghị lần thứ 23.\n\nĐồng chí Bí thư Huyện ủy báo cáo phương "
                   "hướng nhân sự Ban Chấp hành Đảng bộ tỉnh khóa XV.\n\nCác đồng chí Ủy viên Ban Chấp hành Đảng bộ huyện "
                   "khóa XIII dự hội nghị.")
    assert record.term == "XIII"


def test_province_from_a_sentence_that_places_the_commune() -> None:
    record = facts("Ngày 30/12, Đảng ủy xã Hòa Lạc tổ chức Hội nghị lần thứ 12 tổng kết năm 2024.\n\nHòa Lạc là xã miền núi "
                   "của huyện Tây Sơn, tỉnh Bình Lâm. Năm 2024, xã hoàn thành 11/12 chỉ tiêu.", date(2024, 12, 31))
    assert (record.level, record.locality, record.province) == ("xã", "Hòa Lạc", "Bình Lâm")
