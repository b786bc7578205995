"""Synthetic replica content and stores for the throughput and scale benchmarks (a helper, not a bench itself).

    write_synthetic_content(directory, "thanhxuan", 5000)   # <site>.synthetic.json in the replica content format
    build_store(db_path, "thanhxuan", 100_000, base_url)    # a SQLite store of that many articles, schema intact

Articles are built from templates in the style of the district portals: conference reports of district and
ward party committees, congresses, HĐND sessions and general news, with varied places, people, session numbers,
dates (every `published` is a distinct minute) and paragraphs. Each body draws its sentences at random from a
pool and fills them with per-article numbers, places and names, so no two articles come near the near-duplicate
threshold (Jaccard of word 5-shingles >= 0.6, crawler/neardup.py); `max_similarity` checks that on a sample.
`run_measured` runs a child process and reports its wall time, CPU time and peak RSS (both benches use it).
"""

from __future__ import annotations

import json
import random
import sys
import time
import unicodedata
from collections.abc import Iterator
from dataclasses import asdict
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

# --- vocabulary -----------------------------------------------------------------------------------------

DISTRICTS: list[tuple[str, str]] = [
    ("quận", "Thanh Xuân"), ("quận", "Ba Đình"), ("quận", "Đống Đa"), ("quận", "Cầu Giấy"), ("quận", "Hoàng Mai"),
    ("quận", "Hai Bà Trưng"), ("quận", "Tây Hồ"), ("quận", "Long Biên"), ("quận", "Hà Đông"),
    ("quận", "Nam Từ Liêm"), ("quận", "Bắc Từ Liêm"), ("quận", "Hoàn Kiếm"), ("huyện", "Gia Lâm"),
    ("huyện", "Đông Anh"), ("huyện", "Sóc Sơn"), ("huyện", "Thanh Trì"), ("huyện", "Mê Linh"),
    ("huyện", "Thường Tín"), ("huyện", "Quốc Oai"), ("huyện", "Ba Vì"), ("thị xã", "Sơn Tây"),
]
WARDS = [
    "Khương Đình", "Khương Mai", "Khương Trung", "Kim Giang", "Hạ Đình", "Nhân Chính", "Phương Liệt",
    "Thanh Xuân Bắc", "Thanh Xuân Nam", "Thanh Xuân Trung", "Thượng Đình", "Ngọc Hà", "Liễu Giai", "Cống Vị",
    "Kim Mã", "Giảng Võ", "Quan Hoa", "Dịch Vọng", "Mai Dịch", "Yên Hòa", "Trung Hòa", "Láng Thượng",
    "Văn Miếu", "Quốc Tử Giám", "Hàng Bạc", "Tràng Tiền", "Định Công", "Đại Kim", "Hoàng Liệt", "Lĩnh Nam",
    "Bồ Đề", "Ngọc Lâm", "Phúc Đồng", "Văn Quán", "Mộ Lao", "La Khê", "Xuân Phương", "Mỹ Đình 1", "Cổ Nhuế 2",
]
STREETS = [
    "Nguyễn Trãi", "Nguyễn Tuân", "Lê Văn Lương", "Khuất Duy Tiến", "Vũ Trọng Phụng", "Nguyễn Huy Tưởng",
    "Khương Đình", "Trường Chinh", "Giải Phóng", "Nguyễn Xiển", "Kim Giang", "Lê Trọng Tấn", "Hoàng Văn Thái",
    "Tố Hữu", "Phạm Văn Đồng", "Láng", "Đội Cấn", "Kim Mã", "Trần Duy Hưng", "Nguyễn Chí Thanh",
]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Đào", "Đoàn",
          "Trịnh"]
MIDDLE_M = ["Văn", "Đức", "Minh", "Quang", "Hữu", "Xuân", "Mạnh", "Thanh", "Anh", "Tiến", "Ngọc", "Trọng"]
MIDDLE_F = ["Thị", "Thu", "Thị Minh", "Thanh", "Ngọc", "Thị Thu", "Hồng", "Kim"]
GIVEN_M = ["Hùng", "Dũng", "Thắng", "Tuấn", "Long", "Sơn", "Hải", "Nam", "Khôi", "Trung", "Cường", "Thành", "Hiếu",
           "Phong", "Quân", "Tùng"]
GIVEN_F = ["Hằng", "Lan", "Hương", "Mai", "Hà", "Thủy", "Linh", "Nga", "Hoa", "Yến", "Trang", "Phương", "Huyền", "Vân"]
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV",
         "XVI", "XVII", "XVIII", "XIX", "XX", "XXI", "XXII", "XXIII", "XXIV", "XXV", "XXVI"]
NUMBER_WORDS = {1: "nhất", 2: "hai", 3: "ba", 4: "tư", 5: "năm", 6: "sáu", 7: "bảy", 8: "tám", 9: "chín", 10: "mười",
                11: "mười một", 12: "mười hai", 13: "mười ba", 14: "mười bốn", 15: "mười lăm", 16: "mười sáu",
                17: "mười bảy", 18: "mười tám", 19: "mười chín", 20: "hai mươi"}
PURPOSES = [
    "đánh giá kết quả thực hiện nhiệm vụ chính trị {period}, triển khai nhiệm vụ trọng tâm thời gian tới",
    "cho ý kiến vào dự thảo Báo cáo chính trị trình Đại hội đại biểu Đảng bộ nhiệm kỳ 2025-2030",
    "thảo luận, thông qua Nghị quyết về mục tiêu, nhiệm vụ, giải pháp năm {next_year}",
    "sơ kết công tác xây dựng Đảng và hệ thống chính trị {period}",
    "kiểm điểm việc lãnh đạo thực hiện các chỉ tiêu kinh tế - xã hội {period}",
    "xem xét, cho ý kiến về công tác cán bộ và kết quả kiểm tra, giám sát {period}",
]
PERIODS = ["6 tháng đầu năm {year}", "9 tháng năm {year}", "năm {year}", "quý I năm {year}", "quý III năm {year}"]
TOPICS = [
    "Tập trung hoàn thành các chỉ tiêu kinh tế - xã hội", "Đẩy mạnh chuyển đổi số trong hệ thống chính trị",
    "Nâng cao hiệu quả cải cách hành chính", "Siết chặt trật tự xây dựng, trật tự đô thị",
    "Quyết liệt giải ngân vốn đầu tư công", "Chuẩn bị tốt văn kiện Đại hội nhiệm kỳ mới",
    "Chăm lo an sinh xã hội, đời sống Nhân dân", "Phát huy vai trò nêu gương của cán bộ, đảng viên",
]
NEWS_TITLES = [
    "{Level} {loc} ra quân lập lại trật tự vỉa hè trên tuyến phố {street}",
    "Phường {ward} tổ chức ngày hội đại đoàn kết toàn dân tộc năm {year}",
    "Ngành giáo dục {level} {loc} tổng kết năm học {year}-{next_year}",
    "HĐND {level} {loc} tổ chức kỳ họp thứ {n} khóa {roman}",
    "Đại hội đại biểu Đảng bộ phường {ward} lần thứ {roman}, nhiệm kỳ 2025-2030",
    "Ban Thường vụ {Level} ủy {loc} đối thoại với Nhân dân phường {ward}",
    "Khánh thành công trình cải tạo trường mầm non phường {ward}",
    "Liên hoan văn nghệ quần chúng phường {ward} chào mừng Ngày Giải phóng Thủ đô",
    "Cưỡng chế thu hồi đất thực hiện dự án mở rộng đường {street}",
    "Phường {ward} ra mắt mô hình tổ dân phố số {n} xanh - sạch - đẹp",
]
NEWS_LEADS = [
    "Sáng {d}/{m}, UBND {level} {loc} phối hợp với UBND phường {ward} tổ chức ra quân {action} "
    "trên tuyến phố {street}.",
    "Ngày {d}/{m}/{year}, UBND phường {ward} tổ chức {event} với sự tham gia của {count} hộ gia đình trên địa bàn.",
    "Chiều {d}/{m}, {level} {loc} tổ chức {event} nhằm {goal}, thu hút {count} đại biểu tham dự.",
]
ACTIONS = ["lập lại trật tự vỉa hè", "xử lý vi phạm trật tự xây dựng", "tổng vệ sinh môi trường",
           "kiểm tra an toàn phòng cháy"]
EVENTS = ["hội nghị tổng kết công tác dân vận", "chương trình trao quà cho hộ nghèo", "liên hoan văn nghệ quần chúng",
          "lễ khánh thành nhà văn hóa tổ dân phố", "ngày hội đọc sách", "giải chạy vì sức khỏe cộng đồng"]
GOALS = ["tôn vinh các điển hình tiên tiến", "lan tỏa phong trào xây dựng nếp sống văn minh",
         "nâng cao ý thức chấp hành pháp luật của người dân", "huy động nguồn lực xã hội chăm lo người yếu thế"]

#: Body sentences. Slots: {loc} {level} {ward} {street} {name} {man} {woman} {year} {n1}..{n4} {pct} {money} {count}.
POOL = [
    "Thu ngân sách nhà nước trên địa bàn ước đạt {money} tỷ đồng, bằng {pct}% dự toán thành phố giao.",
    "Giải ngân vốn đầu tư công đạt {pct}% kế hoạch, cao hơn cùng kỳ năm trước {n1} điểm phần trăm.",
    "Toàn {level} đã cấp {count} giấy phép xây dựng, xử lý {n2} trường hợp vi phạm trật tự xây dựng.",
    "Công tác cải cách hành chính có chuyển biến, tỷ lệ hồ sơ giải quyết đúng hạn đạt {pct}%.",
    "Các chi bộ, đảng bộ cơ sở đã kết nạp {n2} đảng viên mới, đạt {pct}% chỉ tiêu năm.",
    "Phường {ward} hoàn thành giải phóng mặt bằng {n1} dự án, bàn giao {n3}.{n4} m2 đất cho chủ đầu tư.",
    "Quận đã tổ chức {n2} đoàn kiểm tra, giám sát đối với {n3} tổ chức đảng và {n1} đảng viên.",
    "Tuyến đường {street} được chỉnh trang, lắp mới {count} m2 vỉa hè và {n2} cột đèn chiếu sáng.",
    "Đồng chí {name} đề nghị các cấp ủy rà soát, hoàn thiện {n1} nhóm giải pháp trọng tâm còn lại của năm {year}.",
    "Hội nghị đã nghe {n1} ý kiến tham luận của các đồng chí Bí thư đảng ủy phường và thủ trưởng cơ quan.",
    "Tỷ lệ hộ gia đình đạt danh hiệu Gia đình văn hóa là {pct}%, có {n2} tổ dân phố văn hóa tiêu biểu.",
    "Trên địa bàn có {count} doanh nghiệp thành lập mới với tổng vốn đăng ký {money} tỷ đồng.",
    "Ngành y tế đã khám sàng lọc cho {count} lượt người cao tuổi, tiêm chủng đầy đủ cho {pct}% trẻ em.",
    "Phường {ward} duy trì {n1} mô hình dân vận khéo, trong đó {n2} mô hình được thành phố biểu dương.",
    "Lực lượng công an đã điều tra, làm rõ {n2} vụ phạm pháp hình sự, đạt tỷ lệ {pct}%.",
    "Ủy ban Kiểm tra đã xem xét, thi hành kỷ luật {n1} đảng viên vi phạm, nhắc nhở {n2} trường hợp.",
    "Công tác an sinh xã hội được quan tâm, trao {count} suất quà trị giá {money} triệu đồng "
    "tới các gia đình chính sách.",
    "Năm học {year}-{next_year}, toàn {level} có {n2} trường đạt chuẩn quốc gia, tăng {n1} trường so với năm trước.",
    "Chỉ số hài lòng của người dân với sự phục vụ của cơ quan hành chính đạt {pct}%, đứng thứ {n1} toàn thành phố.",
    "Đồng chí {name} yêu cầu đẩy nhanh tiến độ dự án cải tạo đường {street}, "
    "hoàn thành trước quý {roman} năm {next_year}.",
    "{count} hộ kinh doanh trên phố {street} đã ký cam kết không lấn chiếm vỉa hè, lòng đường.",
    "Các đại biểu thống nhất {n1} nhóm nhiệm vụ, giải pháp, trong đó ưu tiên chuyển đổi số và cải cách hành chính.",
    "Phong trào thi đua yêu nước có {n2} tập thể và {count} cá nhân được khen thưởng.",
    "Quận ủy đã ban hành {n1} nghị quyết chuyên đề, {n2} chỉ thị và {n3} kết luận lãnh đạo các lĩnh vực.",
    "Tổng vốn đầu tư phát triển trên địa bàn đạt {money} tỷ đồng, tăng {pct}% so với cùng kỳ.",
    "Phường {ward} có {n2} tổ dân phố, {count} hộ dân và {n3}.{n4} nhân khẩu thường trú.",
    "Đồng chí {name} nhấn mạnh phải giữ vững kỷ luật, kỷ cương hành chính, kiên quyết xử lý {n1} điểm vi phạm kéo dài.",
    "Kết quả thu phí, lệ phí đạt {money} tỷ đồng; thu thuế ngoài quốc doanh đạt {pct}% dự toán.",
    "Công tác tiếp dân được duy trì, tiếp {count} lượt công dân, giải quyết dứt điểm {n2} đơn thư tồn đọng.",
    "Hệ thống camera an ninh được lắp thêm {n2} điểm, nâng tổng số lên {count} camera kết nối với công an {level}.",
    "Cuộc vận động Ngày vì người nghèo tiếp nhận {money} triệu đồng từ {count} lượt cá nhân, tập thể ủng hộ.",
    "Trong kỳ, {level} {loc} đã hoàn thành {n1}/{n3} công trình trọng điểm, đạt {pct}% kế hoạch vốn.",
    "Ban Chỉ đạo chuyển đổi số triển khai {n2} dịch vụ công trực tuyến toàn trình, tiếp nhận {count} hồ sơ.",
    "Dự án trường tiểu học tại phường {ward} có quy mô {n2} phòng học, tổng mức đầu tư {money} tỷ đồng.",
    "Ông {man} cho biết, thời gian tới địa phương sẽ tập trung tháo gỡ {n1} vướng mắc về mặt bằng.",
    "Tỷ lệ thu gom, xử lý rác thải sinh hoạt đạt {pct}%, trồng mới {count} cây xanh trên các tuyến phố.",
    "Đến nay {n2} chi bộ đã tổ chức sinh hoạt chuyên đề, thu hút {count} lượt đảng viên tham gia.",
    "Bà {woman}, tổ trưởng tổ dân phố số {n1}, chia sẻ {n2} hộ dân đã tự nguyện tháo dỡ mái che, mái vẩy.",
    "Lực lượng dân quân tự vệ được huấn luyện {n1} đợt, bảo đảm {pct}% quân số tham gia.",
    "Các khu chung cư trên đường {street} được kiểm tra phòng cháy, chữa cháy, phát hiện {n2} tồn tại cần khắc phục.",
]
HEADINGS = [
    "Nhiều kết quả nổi bật", "Không chủ quan, lơ là", "Tập trung tháo gỡ khó khăn", "Phát huy vai trò người đứng đầu",
    "Hoàn thành thắng lợi nhiệm vụ năm {year}", "Quyết tâm cao, hành động quyết liệt", "Những con số ấn tượng",
]
CAPTIONS = [
    "Đồng chí {name} phát biểu tại hội nghị", "Quang cảnh hội nghị", "Các đại biểu biểu quyết thông qua nghị quyết",
    "Lực lượng chức năng ra quân trên phố {street}", "Đại biểu tham quan mô hình tại phường {ward}",
]
TITLES_OF_LEADERS = ["Bí thư {Level} ủy", "Phó Bí thư Thường trực {Level} ủy",
                     "Bí thư {Level} ủy, Chủ tịch HĐND {level}"]
AUTHORS = ["Ban Tuyên giáo Quận ủy", "Trung tâm Văn hóa - Thông tin và Thể thao", "Văn phòng HĐND - UBND", "Minh Anh",
           "Hoài Nam", "Thu Trang"]
CATEGORIES = ["Chính trị - Kinh tế", "Tin tức - Sự kiện", "Văn hóa - Xã hội", "Xây dựng Đảng"]


def _ascii(text: str) -> str:
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in text if not unicodedata.combining(c))


def slugify(text: str, limit: int = 90) -> str:
    words = "".join(c if c.isalnum() else " " for c in _ascii(text).lower()).split()
    slug = ""
    for word in words:
        if len(slug) + len(word) + 1 > limit:
            break
        slug = f"{slug}-{word}" if slug else word
    return slug


def _person(rng: random.Random, male: bool | None = None) -> str:
    if male if male is not None else rng.random() < 0.6:
        return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE_M)} {rng.choice(GIVEN_M)}"
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE_F)} {rng.choice(GIVEN_F)}"


def _session_text(rng: random.Random, n: int) -> str:
    return f"lần thứ {NUMBER_WORDS[n]}" if n in NUMBER_WORDS and n > 1 and rng.random() < 0.25 else f"lần thứ {n}"


def _distinct_minutes(rng: random.Random, count: int, end: datetime, span_days: int) -> list[datetime]:
    """`count` distinct publication minutes between `span_days` before `end` and `end`, newest first, 06:00-22:59."""
    per_day = 17 * 60
    days = max(span_days, count // per_day + 2)
    picks = rng.sample(range(days * per_day), count)
    morning = end.replace(hour=6, minute=0, second=0, microsecond=0)
    stamps = [morning - timedelta(days=p // per_day) + timedelta(minutes=p % per_day) for p in picks]
    return sorted(stamps, reverse=True)


def _fill(template: str, rng: random.Random, ctx: dict[str, Any]) -> str:
    values = dict(ctx)
    values.update(
        n1=rng.randint(2, 19), n2=rng.randint(11, 480), n3=rng.randint(20, 990), n4=f"{rng.randint(0, 999):03d}",
        pct=f"{rng.randint(55, 99)},{rng.randint(1, 9)}", money=f"{rng.randint(1, 9)}.{rng.randint(100, 999)}",
        count=f"{rng.randint(1, 60)}.{rng.randint(100, 999)}" if rng.random() < 0.4 else str(rng.randint(120, 990)),
        name=_person(rng), man=_person(rng, True), woman=_person(rng, False), ward=rng.choice(WARDS),
        street=rng.choice(STREETS), roman=rng.choice(ROMAN[:4]),
    )
    return template.format(**values)


def make_article(rng: random.Random, index: int, published: datetime, home: tuple[str, str]) -> dict[str, Any]:
    """One article in the content format (SCHEMA.md). `home` is the site's own (level, locality)."""
    year, next_year = published.year, published.year + 1
    kind = rng.random()
    held = published - timedelta(days=rng.choice([0, 0, 1, 1, 2]))
    when = rng.choice(["Ngày", "Sáng", "Chiều", "Sáng ngày", "Chiều ngày"])
    presider = _person(rng)
    if kind < 0.55:  # a committee conference: the site's own district most often, else a ward or another district
        if kind < 0.3:
            level, loc = home
        elif kind < 0.45:
            level, loc = "phường", rng.choice(WARDS)
        else:
            level, loc = rng.choice(DISTRICTS)
        committee = "Đảng ủy" if level == "phường" else "Thị ủy" if level == "thị xã" else f"{level.capitalize()} ủy"
        term = rng.choice(["VI", "VII", "XXV", "XXVI", "XIII", "XIV", "XX", "XXI"])
        session = rng.randint(2, 40)
        period = rng.choice(PERIODS).format(year=year)
        purpose = rng.choice(PURPOSES).format(period=period, next_year=next_year)
        organ = f"Ban Chấp hành Đảng bộ {level} {loc}"
        title = rng.choice([
            f"{organ} khóa {term} tổ chức Hội nghị lần thứ {session}",
            f"Hội nghị {organ} lần thứ {session}: {rng.choice(TOPICS)}",
            f"{committee}{' phường' if level == 'phường' else ''} {loc} tổ chức Hội nghị lần thứ {session}, {period}",
            f"{organ} {_session_text(rng, session)} {rng.choice(TOPICS).lower()}",
        ])
        lead_title = rng.choice(TITLES_OF_LEADERS).format(Level=committee.split()[0], level=level)
        lead_title = lead_title.replace("Đảng ủy", f"Đảng ủy {level}")
        first = (
            f"{when} {held.day}/{held.month}, {organ} khóa {term}, nhiệm kỳ {rng.choice(['2020-2025', '2025-2030'])} "
            f"tổ chức Hội nghị {_session_text(rng, session)} nhằm {purpose}. "
            f"Đồng chí {presider}, {lead_title} chủ trì hội nghị."
        )
        facts: dict[str, Any] = {"is_conference": True, "level": level, "locality": loc, "term": term,
                                 "session_number": session, "held_on": held.date().isoformat()}
    else:
        level, loc = home if rng.random() < 0.7 else rng.choice(DISTRICTS)
        ctx0 = {"Level": level.split()[0].capitalize(), "level": level, "loc": loc, "ward": rng.choice(WARDS),
                "street": rng.choice(STREETS), "year": year, "next_year": next_year, "n": rng.randint(2, 30),
                "roman": rng.choice(ROMAN[10:])}
        title = rng.choice(NEWS_TITLES).format(**ctx0)
        first = rng.choice(NEWS_LEADS).format(
            d=held.day, m=held.month, year=held.year, action=rng.choice(ACTIONS), event=rng.choice(EVENTS),
            goal=rng.choice(GOALS), count=rng.randint(40, 900),
            **{k: ctx0[k] for k in ("level", "loc", "ward", "street")},
        )
        facts = {"is_conference": False, "level": None, "locality": None, "term": None, "session_number": None,
                 "held_on": None}
    ctx = {"level": level, "loc": loc, "year": year, "next_year": next_year}
    blocks: list[dict[str, str]] = [{"type": "p", "text": first}]
    sentences = rng.sample(POOL, rng.randint(11, 15))
    paragraphs = [sentences[i : i + 3] for i in range(0, len(sentences), 3)]
    if rng.random() < 0.6:
        blocks.append({"type": "img", "text": _fill(rng.choice(CAPTIONS), rng, ctx)})
    for number, group in enumerate(paragraphs):
        if number == 2 and rng.random() < 0.5:
            blocks.append({"type": "h", "text": _fill(rng.choice(HEADINGS), rng, ctx)})
        blocks.append({"type": "p", "text": " ".join(_fill(s, rng, ctx) for s in group)})
    return {
        "slug": f"{slugify(title)}-{index}",
        "category": rng.choice(CATEGORIES),
        "title": title,
        "published": published.strftime("%Y-%m-%d %H:%M"),
        "views": rng.randint(20, 2500),
        "lead": None,
        "blocks": blocks,
        "author": rng.choice(AUTHORS),
        "tags": [],
        "facts": facts,
    }


HOME = {"thanhxuan": ("quận", "Thanh Xuân"), "badinh": ("quận", "Ba Đình"), "lechan": ("quận", "Lê Chân")}


def publication_minutes(count: int, seed: int = 1, end: datetime | None = None) -> list[datetime]:
    """`count` distinct publication minutes over about six years before `end`, newest first."""
    return _distinct_minutes(random.Random(seed), count, end or datetime(2025, 9, 30, 6, 0), span_days=6 * 365)


def article_at(site: str, index: int, published: datetime, seed: int = 1) -> dict[str, Any]:
    """Article number `index` of a synthetic site (its own seeded generator, so workers can build any slice)."""
    home = HOME.get(site, ("quận", "Thanh Xuân"))
    return make_article(random.Random(f"{seed}/{site}/{index}"), index, published, home)


def iter_articles(site: str, count: int, seed: int = 1, end: datetime | None = None) -> Iterator[dict[str, Any]]:
    """`count` distinct articles, newest first; every `published` is a distinct minute before `end`."""
    for index, published in enumerate(publication_minutes(count, seed, end)):
        yield article_at(site, index, published, seed)


def write_synthetic_content(directory: Path, site: str, count: int, seed: int = 1) -> None:
    """Write `<site>.synthetic.json` (replica content format, see crawler/replica/content/SCHEMA.md) to `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    data = {"site": site, "articles": list(iter_articles(site, count, seed))}
    (directory / f"{site}.synthetic.json").write_text(json.dumps(data, ensure_ascii=False, indent=0), encoding="utf-8")


def max_similarity(articles: list[dict[str, Any]]) -> float:
    """The highest estimated Jaccard (MinHash, as the dedup stage computes it) between any two of `articles`."""
    from crawler.neardup import NearDuplicateIndex, signature

    index = NearDuplicateIndex(threshold=0.3)
    best = 0.0
    for n, article in enumerate(articles):
        minhash = signature(_body(article))
        for key in index.lsh.query(minhash):
            best = max(best, minhash.jaccard(index.signatures[key]))
        index.add(str(n), minhash)
    return best


# --- stores -----------------------------------------------------------------------------------------------


def _body(article: dict[str, Any]) -> str:
    """The body text the site selectors read from a rendered Hanoi-portal page (captions and byline excluded)."""
    return "\n\n".join(b["text"] for b in article["blocks"] if b["type"] in ("p", "h"))


def article_url(base_url: str, site: str, article: dict[str, Any]) -> str:
    from crawler.replica.render import Article, article_path

    return base_url.rstrip("/") + article_path(Article.from_json(site, article))


def article_item(article: dict[str, Any], site: str, base_url: str, crawled_at: str, with_facts: bool = True) -> Any:
    """The ArticleItem a crawl of the rendered page stores: the fields the Hanoi-portal selectors and the
    pipelines produce (date label, view count, body without captions or byline, hash, conference record).

    `with_facts` runs the real conference extractor on the text; without it the record is built from the
    content file's hand-set facts (much faster, same shape)."""
    from crawler.items import ArticleItem
    from crawler.parsing.conference import ConferenceFacts, SiteContext, extract_conference
    from crawler.parsing.text import content_hash
    from crawler.sites import SITES

    published = datetime.strptime(article["published"], "%Y-%m-%d %H:%M")
    body = _body(article)
    label = f"Publish date {published:%d/%m/%Y | %H:%M} | Lượt xem: {article['views']}"
    definition = SITES.get(site)
    if with_facts:
        context = SiteContext.of_site(definition, published.date())
        facts = asdict(extract_conference(article["title"], body, published.date(), context))
    else:
        given = article["facts"]
        facts = asdict(ConferenceFacts(is_conference=False))
        if given.get("is_conference"):
            facts.update(
                is_conference=True, level=given["level"], locality=given["locality"], term=given["term"],
                session_number=given["session_number"], held_on=given["held_on"], province="Hà Nội",
                organ=f"Ban Chấp hành Đảng bộ {given['level']} {given['locality']}",
                organ_normalized=f"Ban Chấp hành Đảng bộ {given['level']} {given['locality']}",
            )
    images = [
        {"url": f"{base_url}/{site}/images/{article['slug']}-{n}.jpg", "caption": b["text"]}
        for n, b in enumerate(article["blocks"]) if b["type"] == "img"
    ]
    return ArticleItem(
        url=article_url(base_url, site, article), site=site, title=article["title"],
        summary=article["blocks"][0]["text"], body=body, images=images, author=article["author"],
        category=article["category"].upper(), tags=[], published_at=published.strftime("%Y-%m-%dT%H:%M:00+07:00"),
        published_at_source="page label", published_at_text=label, view_count=article["views"],
        view_count_text=label, crawled_at=crawled_at, content_hash=content_hash(body), extraction="site",
        conference=facts, http_etag=None, http_last_modified="Tue, 14 Nov 2023 22:13:20 GMT",
    )


def _crawled_at(published: datetime) -> str:
    """When the synthetic crawl read an article: an hour after it was published (local time)."""
    return (published + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%S+07:00")


def _items(job: tuple[str, str, int, list[tuple[int, datetime]]]) -> list[tuple[Any, bytes]]:
    """(item, MinHash signature) for a slice of a synthetic site; runs in a worker process. The conference record
    comes from the content's hand-set facts (the real extractor on 100,000 texts would dominate the build)."""
    from crawler.neardup import signature, to_bytes

    site, base_url, seed, slice_ = job
    out = []
    for index, published in slice_:
        item = article_item(article_at(site, index, published, seed), site, base_url, _crawled_at(published), with_facts=False)
        out.append((item, to_bytes(signature(item.body or ""))))
    return out


def build_store(db_path: Path, site: str, count: int, base_url: str, seed: int = 7, batch: int = 1000,
                workers: int = 2, progress: bool = True, end: datetime | None = None) -> dict[str, float]:
    """A store of `count` articles of `site` at URLs under `base_url` (the replica's address for that site),
    written through the store's own API (`Store.save`: change numbers, copy groups, conference grouping, view
    history, signature bands), committed every `batch` articles as a crawl batches them. The items and their
    MinHash signatures are built in `workers` processes. `end` is the newest publication minute (default
    2025-09-30). Returns timings in seconds.
    """
    import multiprocessing

    from crawler.store import Store

    timings: dict[str, float] = {}
    started = time.perf_counter()
    store = Store(db_path)
    stamps = list(enumerate(publication_minutes(count, seed, end)))
    jobs = [(site, base_url, seed, stamps[i : i + batch]) for i in range(0, count, batch)]
    done = 0
    store.db.execute("PRAGMA cache_size = -262144")  # this connection only: 256 MiB of page cache
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        for result in pool.imap(_items, jobs):
            for item, minhash in result:
                store.save(item, minhash=minhash, commit_every=batch)
            done += len(result)
            if progress and (done // batch) % 10 == 0:
                elapsed = time.perf_counter() - started
                print(f"  store: {done}/{count} articles ({elapsed:.0f} s)", file=sys.stderr, flush=True)
    store.close()
    timings["total"] = time.perf_counter() - started
    return timings


# --- measuring a child process ------------------------------------------------------------------------------


#: Starts the measured command from a small interpreter. Linux carries the high-water RSS of the process that
#: forks (or vforks) the child over into the child's `ru_maxrss`, so a child started straight from a big
#: benchmark process would report the benchmark's own peak; from this runner, the floor is about 10 MiB.
_RUNNER = """
import json, os, sys, threading
pid = os.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])

def tree(root):
    found = [root]
    try:
        for task in os.listdir(f"/proc/{root}/task"):
            with open(f"/proc/{root}/task/{task}/children") as handle:
                for child in handle.read().split():
                    found += tree(int(child))
    except OSError:
        pass
    return found

def rss_kib(p):
    try:
        with open(f"/proc/{p}/status") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0

peak = [0]
done = threading.Event()

def sample():
    while not done.is_set():
        peak[0] = max(peak[0], sum(rss_kib(p) for p in tree(pid)))
        done.wait(0.05)

threading.Thread(target=sample, daemon=True).start()
_, status, usage = os.wait4(pid, 0)
done.set()
with open(sys.argv[1], "w") as handle:
    json.dump({"returncode": os.waitstatus_to_exitcode(status), "cpu": usage.ru_utime + usage.ru_stime,
               "max_rss_kib": max(usage.ru_maxrss, peak[0])}, handle)
"""


def run_measured(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run `cmd` to completion; its exit code, wall time, CPU time (its own and its reaped children's, from wait4),
    peak RSS (MiB: the largest sum over the process and its children, sampled every 50 ms, so a crawl and its item
    worker count together) and output."""
    import subprocess
    import tempfile

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, tempfile.NamedTemporaryFile("r") as report:
        started = time.perf_counter()
        runner = [sys.executable, "-c", _RUNNER, report.name, *cmd]
        subprocess.run(runner, cwd=cwd, env=env, stdout=out, stderr=err, check=True)
        wall = time.perf_counter() - started
        measured = json.loads(Path(report.name).read_text())
        out.seek(0)
        err.seek(0)
        return {
            "returncode": measured["returncode"], "wall": wall, "cpu": measured["cpu"],
            "max_rss_mib": measured["max_rss_kib"] / 1024, "stdout": out.read().decode("utf-8", "replace"),
            "stderr": err.read().decode("utf-8", "replace"),
        }
