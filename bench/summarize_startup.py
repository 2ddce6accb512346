"""Medians of the start-up runs bench/startup.sh collected (lines: mode key value)."""
import statistics
import sys

rows = [line.split() for line in sys.stdin if line.strip()]


def median(mode, key):
    return statistics.median(float(r[2]) for r in rows if r[0] == mode and r[1] == key)


print("| host | ready, ms from JVM start (median) | heap after GC, KiB (median) |")
print("| --- | ---: | ---: |")
for mode in ["baseline", "autocert4j"]:
    print(f"| {mode} | {median(mode, 'ready_ms'):.0f} | {median(mode, 'heap_kib'):.0f} |")
print()
extra_ms = median("autocert4j", "ready_ms") - median("baseline", "ready_ms")
extra_heap = median("autocert4j", "heap_kib") - median("baseline", "heap_kib")
print(f"autocert4j adds {extra_ms:.0f} ms and {extra_heap:.0f} KiB of heap to the start.")
