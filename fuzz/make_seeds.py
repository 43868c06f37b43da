"""Write the seed corpus fuzz/seeds/: short chronicle-like snippets, each as a .txt
file in several encodings, as HTML, and as a str (see fuzz_extract.py's first byte).

The snippets are written here or cut from the bundled sample
(data/corpus/); the blind evaluation document is never read.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SNIPPETS = [
    "《四川年鉴（2023）》获评全国地方志优秀成果（年鉴类）一等奖。",
    "成都市地方志工作办公室编纂的《成都市志》由方志出版社出版。",
    "2024年8月，省地方志办印发《关于加强地方志工作的意见》。",
    "绵阳市、德阳市、宜宾市入选第二批全国地方志工作示范点。",
    "钦州市地方志办公室开设“钦州方志”微信公众号。",
    "河南省方志馆、村史馆12个，“方志中原”APP上线。",
    "臺灣省文獻委員會編纂《臺灣省通志》。",
    "《《》》“”‘’〈〉（）【】",
    "四川省地方志工作办公室（以下简称“省志办”）",
    "第 3 页 共 12 页\n— 3 —\n",
    "1　《南京年鉴（2024）》　南京市地方志编纂委员会办公室\n",
]


def main() -> None:
    seeds = ROOT / "fuzz" / "seeds"
    seeds.mkdir(parents=True, exist_ok=True)
    sample = (ROOT / "data" / "corpus" / "000_56e6aeb4e85b6bad.txt").read_text(encoding="utf-8")
    snippets = SNIPPETS + [line for line in sample.splitlines() if line.strip()][:15]
    inputs: list[bytes] = []
    for text in snippets:
        for encoding in ("utf-8", "utf-8-sig", "utf-16", "gb18030"):
            try:
                inputs.append(b"\x00" + text.encode(encoding))
            except UnicodeEncodeError:
                continue
        inputs.append(b"\x01" + f"<html><body><p>{text}</p></body></html>".encode())
        inputs.append(b"\x02" + text.encode("utf-8"))
    inputs.append(b"\x00" + "臺灣省通志".encode("big5"))
    for data in inputs:
        (seeds / hashlib.sha1(data).hexdigest()).write_bytes(data)
    print(f"{len(inputs)} seeds in {seeds}")


if __name__ == "__main__":
    main()
