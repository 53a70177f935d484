"""Time the mapping of one model card on hostile input, at two sizes: cost must grow with the input, not
with its square (a card of 100,000 `[` must not stall a shard).

    python benchmarks/mapping_worst_case.py [--size N]

Prints seconds per case at N and 4N characters-ish, and the ratio (about 4 for linear cost)."""

from __future__ import annotations

import argparse
import statistics
import time

CASES = {
    "fences": lambda n: "```\n" * n,
    "brackets": lambda n: "[" * n + "](" * (n // 200),
    "long line": lambda n: "a" * (n * 50),
    "many links": lambda n: "[x](https://huggingface.co/a/b) " * n,
    "unclosed comment": lambda n: "<!--" + "x\n" * n,
    "headings": lambda n: "# h\n" * n,
    "html": lambda n: "<div>" * n,
    "quantization prose": lambda n: ("GGUF model files for " + "x" * 70 + " ") * (n // 5),
    "fine-tune prose": lambda n: "fine-tuned version of the " * n,
    "table": lambda n: "| a | b |\n" * n,
    "dots": lambda n: "." * (n * 50),
    "eprint": lambda n: "eprint = {" * n,
    "setext": lambda n: "a\n-\n" * n,
    "angle brackets": lambda n: "<" * (n * 10),
    "images": lambda n: "![" * n,
    "hub urls": lambda n: "https://huggingface.co/" * n,
    "fields": lambda n: "a: " * n,
    "blank lines": lambda n: "\n" * (n * 10) + "x",
    "yaml block": lambda n: "---\n" + "key: value\n" * n + "---\nbody",
    "yaml alias bomb": lambda n: "---\na: &a [" + ",".join(["x"] * 9) + "]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(n // 1000))
    + "---\nbody",
}


def seconds(text: str, repeat: int) -> float:
    from pipeline.transform import fair4ml
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fair4ml.to_fair4ml({"id": "org/model"}, text)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    seconds("warm up", 1)
    print(f"{'case':20} {'N':>9} {'4N':>9} ratio   (median of {args.repeat}, N={args.size})")
    for name, make in CASES.items():
        small, large = seconds(make(args.size), args.repeat), seconds(make(args.size * 4), args.repeat)
        print(f"{name:20} {small:8.3f}s {large:8.3f}s {large / max(small, 1e-4):5.1f}")


if __name__ == "__main__":
    main()
