"""bench/svgchart.py — a tiny SVG writer for bench/run.py's results (no third-party packages).

Panel 1: vgc/stock time ratio per workload (throughput rows are turned into a time ratio,
stock rate / vgc rate; memory rows: peak RSS ratio, and stock/vgc objects that fit under an
address-space limit), a line at 1.0; lower is better.  Panel 2: pause p50/p99/max per
generation of the steady-state workload, stock vs vgc, on a log scale.  Not in proof scope.
"""
import math

W, ROW = 900, 22
STOCK, VGC = "#8c8c8c", "#2a6fb0"


def _esc(s):
    return str(s).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _text(x, y, s, size=12, anchor="start", weight="normal", fill="#222"):
    return ('<text x="%.1f" y="%.1f" font-size="%d" text-anchor="%s" font-weight="%s" '
            'fill="%s" font-family="sans-serif">%s</text>' % (x, y, size, anchor, weight, fill,
                                                              _esc(s)))


def write(results, path):
    rows = []
    for name, r in results.get("workloads", {}).items():
        if r.get("kind") == "time":
            rows.append((name, r["ratio"]))
        elif r.get("kind") == "rate":
            rows.append((name + " (1/throughput)", 1.0 / r["ratio"]))
        elif r.get("kind") == "rss" and r.get("ratio"):
            rows.append((name + " (peak RSS)", r["ratio"]))
        elif r.get("kind") == "fit" and r.get("ratio"):
            rows.append((name + " (1/objects that fit)", 1.0 / r["ratio"]))
    out = []
    y0 = 50
    left, right = 250, W - 60
    vmax = max([2.0] + [v for _, v in rows])
    scale = (right - left) / vmax
    h1 = y0 + ROW * len(rows) + 40
    steady = results.get("workloads", {}).get("steady_alloc")
    h2 = 300 if steady else 0
    H = h1 + h2 + 20
    out.append('<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
               'viewBox="0 0 %d %d">' % (W, H, W, H))
    out.append('<rect width="100%" height="100%" fill="white"/>')
    out.append(_text(W / 2, 24, "vgc vs stock gc — Python %s%s: vgc/stock (lower is better)"
                     % (results.get("python", "?"), " (quick)" if results.get("quick") else ""),
                     15, "middle", "bold"))
    for i, (name, v) in enumerate(rows):
        y = y0 + i * ROW
        out.append(_text(left - 8, y + 15, name, 12, "end"))
        col = "#3a9a4a" if v <= 1.0 else "#c0504d"
        out.append('<rect x="%d" y="%d" width="%.1f" height="%d" fill="%s"/>'
                   % (left, y + 3, max(1.0, v * scale), ROW - 6, col))
        out.append(_text(left + v * scale + 4, y + 15, "%.2f×" % v, 11))
    x1 = left + scale
    out.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#000" stroke-dasharray="4,3"/>'
               % (x1, y0 - 4, x1, y0 + ROW * len(rows)))
    out.append(_text(x1, y0 - 8, "1.0 = stock", 10, "middle"))
    if steady:
        top = h1 + 10
        out.append(_text(W / 2, top, "steady-state allocation: collection pauses (µs, log scale)",
                         14, "middle", "bold"))
        vals = []
        for g in range(3):
            p = steady["pauses"]["gen%d" % g]
            for st in ("p50", "p99", "max"):
                vals += [p[st]["stock"], p[st]["vgc"]]
        vals = [v * 1e6 for v in vals if v > 0] or [1.0]
        lo = 10 ** math.floor(math.log10(min(vals)))
        hi = 10 ** math.ceil(math.log10(max(vals)))
        bx, by, bw, bh = 80, top + 20, W - 140, h2 - 80

        def ypos(v):
            v = max(v, lo)
            return by + bh - (math.log10(v) - math.log10(lo)) / (math.log10(hi) - math.log10(lo)) * bh

        d = lo
        while d <= hi * 1.0001:
            out.append('<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#ddd"/>'
                       % (bx, ypos(d), bx + bw, ypos(d)))
            out.append(_text(bx - 6, ypos(d) + 4, "%g" % d, 10, "end"))
            d *= 10
        groups = [(g, st) for g in range(3) for st in ("p50", "p99", "max")]
        gw = bw / len(groups)
        for i, (g, st) in enumerate(groups):
            p = steady["pauses"]["gen%d" % g][st]
            for j, (mode, col) in enumerate((("stock", STOCK), ("vgc", VGC))):
                v = p[mode] * 1e6
                x = bx + i * gw + 6 + j * (gw - 12) / 2
                if v > 0:
                    out.append('<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"/>'
                               % (x, ypos(v), (gw - 12) / 2 - 2, by + bh - ypos(v), col))
            out.append(_text(bx + i * gw + gw / 2, by + bh + 14, "gen%d %s" % (g, st), 10,
                             "middle"))
        out.append('<rect x="%d" y="%d" width="12" height="12" fill="%s"/>' % (bx, by + bh + 26,
                                                                               STOCK))
        out.append(_text(bx + 16, by + bh + 37, "stock", 11))
        out.append('<rect x="%d" y="%d" width="12" height="12" fill="%s"/>' % (bx + 70,
                                                                               by + bh + 26, VGC))
        out.append(_text(bx + 86, by + bh + 37, "vgc", 11))
    out.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")
