#!/usr/bin/env python3
"""Measures the review page (docs/review.md): its size without audio and its time to first
paint in headless Chromium, for the 37-minute sample and a 10-hour alignment
(scripts/make_long_alignment.py); also saves the sample page's screenshot.

  python3 scripts/review_measure.py --talign target/ci/talign [--work DIR] [--loads 5] [--screenshot docs/review.png]

Needs chromium and chromium-driver (scripts/test.sh installs them). Each page is loaded
--loads times in one browser session; the medians are printed: first contentful paint
(Chromium's `first-contentful-paint` entry: header, canvases and table drawn) and when the
page's script had drawn everything (`talignReview.readyMs`), both from navigation start.
"""
import argparse
import base64
import json
import os
import socket
import statistics
import subprocess
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class Driver:
    """The few WebDriver calls needed, over chromedriver's HTTP API."""

    def __init__(self):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.proc = subprocess.Popen(["chromedriver", f"--port={self.port}"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(200):
            try:
                if self.call("GET", "/status")["ready"]:
                    break
            except OSError:
                time.sleep(0.1)
        caps = {"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {
            "binary": os.environ.get("TALIGN_CHROMIUM", "/usr/bin/chromium"),
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1280,1000", "--mute-audio", "--hide-scrollbars"]}}}}
        self.session = self.call("POST", "/session", caps)["sessionId"]

    def call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=300) as r:
            return json.load(r)["value"]

    def s(self, method, path, body=None):
        return self.call(method, f"/session/{self.session}{path}", body)

    def run(self, script, *args):
        return self.s("POST", "/execute/sync", {"script": script, "args": list(args)})

    def close(self):
        try:
            self.call("DELETE", f"/session/{self.session}")
        finally:
            self.proc.kill()
            self.proc.wait()


def measure(driver, page, loads):
    url = "file://" + os.path.abspath(page)
    paints, ready = [], []
    for _ in range(loads):
        driver.s("POST", "/url", {"url": "about:blank"})
        driver.s("POST", "/url", {"url": url})
        for _ in range(600):
            got = driver.run(
                "const p = performance.getEntriesByName('first-contentful-paint')[0];"
                "return window.talignReview && p ? [p.startTime, talignReview.readyMs] : null;")
            if got:
                break
            time.sleep(0.05)
        paints.append(got[0])
        ready.append(got[1])
    return statistics.median(paints), statistics.median(ready), paints


def run(cmd):
    start = time.monotonic()
    subprocess.run(cmd, check=True)
    return time.monotonic() - start


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--talign", required=True)
    ap.add_argument("--work", default=None, help="folder for the alignments and pages (default: a new temp folder)")
    ap.add_argument("--loads", type=int, default=5)
    ap.add_argument("--screenshot", default=None, help="save the sample page's screenshot (PNG) here")
    args = ap.parse_args()
    talign = os.path.abspath(args.talign)
    work = args.work or tempfile.mkdtemp(prefix="talign-review-")
    os.makedirs(work, exist_ok=True)
    audio = os.path.join(ROOT, "sample-audio", "kerry-aleppo-2016.mp3")
    transcript = os.path.join(ROOT, "sample-audio", "kerry-aleppo-2016.txt")
    sample_json = os.path.join(work, "sample.json")
    sample_html = os.path.join(work, "sample.html")
    if not os.path.exists(sample_json):
        run([talign, "align", audio, transcript, "-o", sample_json, "-q"])
    t_sample = run([talign, "review", audio, sample_json, "-o", sample_html, "--transcript", transcript])
    long_dir = os.path.join(work, "long")
    if not os.path.exists(os.path.join(long_dir, "long.json")):
        subprocess.run(["python3", os.path.join(ROOT, "scripts", "make_long_alignment.py"),
                        "--talign", talign, sample_json, long_dir], check=True)
    long_html = os.path.join(long_dir, "long.html")
    t_long = run([talign, "review", os.path.join(long_dir, "long.mp3"),
                  os.path.join(long_dir, "long.json"), "-o", long_html])
    driver = Driver()
    try:
        rows = []
        for name, page, made in [("sample (37 min)", sample_html, t_sample), ("10.5 h", long_html, t_long)]:
            turns = len(json.load(open(page.replace(".html", ".json"), encoding="utf-8"))["turns"])
            paint, ready, all_paints = measure(driver, page, args.loads)
            size = os.path.getsize(page)
            rows.append((name, turns, size, paint, ready, made, all_paints))
        if args.screenshot:
            driver.s("POST", "/url", {"url": "file://" + os.path.abspath(sample_html)})
            # A turn of Kerry's with word times, 1.2 s in, paused.
            turns = json.load(open(sample_json, encoding="utf-8"))["turns"]
            k = next(i for i, t in enumerate(turns) if i > 8 and t.get("words") and t["speaker"] == "Kerry")
            driver.run(f"document.querySelector('#turns tbody tr[data-i=\"{k}\"] td').click();"
                       "const a = document.getElementById('audio'); a.pause(); a.currentTime = arguments[0];",
                       turns[k]["start"] + 1.2)
            time.sleep(1.0)
            png = base64.b64decode(driver.s("GET", "/screenshot"))
            with open(args.screenshot, "wb") as f:
                f.write(png)
    finally:
        driver.close()
    print(f"chromium: {subprocess.run(['chromium', '--version'], capture_output=True, text=True).stdout.strip()}")
    print("| alignment | turns | page size (no audio) | first contentful paint | all drawn | `talign review` run |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, turns, size, paint, ready, made, all_paints in rows:
        print(f"| {name} | {turns} | {size / 1e6:.2f} MB | {paint:.0f} ms | {ready:.0f} ms | {made:.1f} s |")
    for name, _, _, _, _, _, all_paints in rows:
        print(f"{name}: first paints over {len(all_paints)} loads (ms): {', '.join(f'{p:.0f}' for p in all_paints)}")


if __name__ == "__main__":
    main()
