#!/usr/bin/env python3
"""A wide history for bench/speed.sh: COUNT small transcripts (one prompt, two responses,
about 1.6 KB each) over 200 projects and 180 days, deterministic. Cached: prints DIR (a
CLAUDE_CONFIG_DIR) at once when it already holds COUNT files.
Usage: bench/wide.py DIR COUNT"""
import json, os, random, sys, uuid
from datetime import datetime, timedelta, timezone

out, count = sys.argv[1], int(sys.argv[2])
stamp = os.path.join(out, ".count")
if os.path.exists(stamp) and open(stamp).read() == str(count):
    print(out)
    sys.exit(0)
rng = random.Random(34)
models = ["claude-sonnet-4-5-20250929", "claude-opus-4-5-20251101", "claude-haiku-4-5-20251001"]
end = datetime(2026, 11, 15, tzinfo=timezone.utc)
def uid(): return str(uuid.UUID(int=rng.getrandbits(128), version=4))
def ts(t): return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"
for n in range(count):
    proj = f"-home-dev-code-service-{n % 200:03d}"
    os.makedirs(os.path.join(out, "projects", proj), exist_ok=True)
    sid, cwd = uid(), f"/home/dev/code/service-{n % 200:03d}"
    t = end - timedelta(seconds=rng.randrange(180 * 86400))
    base = {"isSidechain": False, "userType": "external", "cwd": cwd, "sessionId": sid,
            "version": "2.1.30", "gitBranch": "main"}
    prompt = uid()
    lines = [dict(base, parentUuid=None, type="user", uuid=prompt, timestamp=ts(t),
                  message={"role": "user", "content": "fix the failing test in the parser module"})]
    parent = prompt
    for _ in range(2):
        t += timedelta(seconds=rng.randrange(2, 40))
        me = uid()
        usage = {"input_tokens": rng.randrange(1, 50), "cache_creation_input_tokens": rng.randrange(0, 4000),
                 "cache_read_input_tokens": rng.randrange(0, 40000), "output_tokens": rng.randrange(10, 900),
                 "service_tier": "standard"}
        msg = {"model": rng.choice(models), "id": f"msg_01{uid().replace('-', '')[:22]}", "type": "message",
               "role": "assistant", "content": [{"type": "text", "text": "Looked at the parser; the test expects a trailing newline. Fixed and re-ran."}],
               "stop_reason": "end_turn", "stop_sequence": None, "usage": usage}
        lines.append(dict(base, parentUuid=parent, type="assistant", uuid=me, timestamp=ts(t),
                          requestId=f"req_011{uid().replace('-', '')[:21]}", message=msg))
        parent = me
    with open(os.path.join(out, "projects", proj, f"{sid}.jsonl"), "w") as f:
        f.write("".join(json.dumps(l, separators=(",", ":")) + "\n" for l in lines))
open(stamp, "w").write(str(count))
print(out)
