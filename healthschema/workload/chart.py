"""The benchmark's PNG chart: p95 per catalog query at two scales (matplotlib, no display)."""

from __future__ import annotations

from pathlib import Path

from healthschema.workload.bench import QueryResult


def p95_chart(runs: dict[int, list[QueryResult]], path: Path) -> Path:
    """Horizontal bars: for each query, service_role p95 and persona p95 at each scale (log x)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    scales = sorted(runs)
    names = [q.name for q in runs[scales[0]]]
    fig, ax = plt.subplots(figsize=(11, max(6.0, 0.32 * len(names) * len(scales))))
    height = 0.8 / (2 * len(scales))
    for s_i, scale in enumerate(scales):
        by_name = {q.name: q for q in runs[scale]}
        for k, (label, attr) in enumerate((("service_role", "p95_ms"), ("persona", "persona_p95_ms"))):
            offset = (2 * s_i + k) * height
            values = [max(getattr(by_name[n], attr), 0.01) if n in by_name else 0.01 for n in names]
            ax.barh([i + offset for i in range(len(names))], values, height=height,
                    label=f"{label}, {scale:,} rows")
    ax.set_yticks([i + 0.4 - height / 2 for i in range(len(names))], names, fontsize=7)
    ax.invert_yaxis()
    ax.set_xscale("log")
    ax.axvline(10, color="red", linestyle="--", linewidth=1, label="target p95 < 10 ms")
    ax.set_xlabel("p95 latency (ms, log scale)")
    ax.set_title("healthschema bench: dashboard catalog p95 per query")
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
