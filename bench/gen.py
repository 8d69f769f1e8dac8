#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Generates a long Chinese podcast transcript for the benchmark.

gen.py CHARS OUT.md writes a transcript of about CHARS Chinese characters
(front matter, ## sections every ~12 turns, five speakers, English product
names and numbers mixed in, as real transcripts have), deterministic for a
given CHARS. A 10,000-character transcript has about 100 segments.
"""
import random
import sys

SENTENCES = [
    "今天我们聊一聊大模型在实际产品里的落地情况",
    "很多团队在{year}年就开始尝试把 {product} 接入自己的工作流",
    "推理成本下降得很快，去年同样的调用要贵{pct}%左右",
    "我觉得真正的难点不在模型，而在数据和评估",
    "我们内部做了一个小实验，样本量大概是{big}条",
    "用户留存比增长更重要，这一点投资人也越来越清楚",
    "如果延迟超过{ms}毫秒，语音对话就会显得很不自然",
    "开源社区的速度非常快，几乎每周都有新的 {product} 版本",
    "这件事情其实没有标准答案，要看具体的场景",
    "我们第{nth}个版本上线以后，日活涨到了{big}左右",
    "芯片的供给仍然紧张，一张卡的租金比去年贵了不少",
    "做产品的人要学会跟模型的不确定性相处",
]
PRODUCTS = ["GPT-4o", "Claude", "Llama", "Node.js", "Voice Mode", "OpenAI API", "Whisper"]
SPEAKERS = ["陆飞", "老隐", "Kevin", "小鹿", "阿真"]


def sentence(rng):
    s = rng.choice(SENTENCES)
    return s.format(year=rng.randint(2019, 2026), product=rng.choice(PRODUCTS),
                    pct=rng.randint(10, 90), big=rng.randint(1000, 2000000),
                    ms=rng.randint(200, 900), nth=rng.randint(2, 9))


def main():
    target = int(sys.argv[1])
    out = sys.argv[2]
    rng = random.Random(target)
    lines = ["---", "title: 基准测试长节目", "speaker: 北美王陆飞",
             "guest: 老隐，Kevin、小鹿、阿真", "---", ""]
    chars = turns = 0
    section = 0
    while chars < target:
        if turns % 12 == 0:
            section += 1
            lines += [f"## 第{section}部分", ""]
        who = SPEAKERS[turns % len(SPEAKERS)] if turns % 7 else SPEAKERS[(turns + 2) % 5]
        text = "，".join(sentence(rng) for _ in range(rng.randint(2, 4))) + "。"
        lines += [f"{who}：{text}", ""]
        chars += sum(1 for c in text if "\u4e00" <= c <= "\u9fff")
        turns += 1
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))


main()
