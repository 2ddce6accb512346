"""Turns the rows bench/issuance.sh collected into the markdown table of docs/benchmarks.md."""
import csv
import platform
import statistics
import subprocess
import sys

rows = list(csv.reader(open(sys.argv[1]), delimiter="\t"))
count = sys.argv[2]
clients = ["autocert4j (warm JVM)", "autocert4j CLI (cold JVM)", "autocert4j CLI (launcher)", "lego", "certbot"]


def values(client, reject, column, outcome="ok"):
    return [float(r[column]) for r in rows if r[0] == client and r[1] == reject and r[column] and r[5] == outcome]


def failures(client, reject):
    return sum(1 for r in rows if r[0] == client and r[1] == reject and r[5] == "failed")


def cpu_name():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]
print(f"Machine: {cpu_name()}, {subprocess.run(['nproc'], capture_output=True, text=True).stdout.strip()} cores; {java}")
print(f"{count} certificates per client, EC P-256, one local Pebble (PEBBLE_VA_NOSLEEP=1).\n")
for reject in ["0", "5"]:
    print(f"### Pebble rejecting {reject} % of nonces\n")
    print("| client | median s/cert | min–max s | total s | CPU s (all certs) | peak RSS MiB | failed |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    medians = {}
    for client in clients:
        wall = values(client, reject, 2)
        if not wall:
            if failures(client, reject):
                print(f"| {client} | – | – | – | – | – | {failures(client, reject)} of {count} |")
            continue
        medians[client] = statistics.median(wall)
        if client.startswith("autocert4j (warm"):
            cpu = values(client + " process", reject, 3)
            rss = values(client + " process", reject, 4)
            cpu_total, rss_max = (cpu[0] if cpu else float("nan")), (rss[0] if rss else float("nan"))
        else:
            cpu_total, rss_max = sum(values(client, reject, 3)), max(values(client, reject, 4))
        print(f"| {client} | {medians[client]:.3f} | {min(wall):.3f}–{max(wall):.3f} | {sum(wall):.2f} "
              f"| {cpu_total:.2f} | {rss_max / 1024:.0f} | {failures(client, reject)} of {count} |")
    print()
    for ours in ["autocert4j (warm JVM)", "autocert4j CLI (cold JVM)", "autocert4j CLI (launcher)"]:
        for peer in ["lego", "certbot"]:
            if ours in medians and peer in medians:
                print(f"- {ours} vs {peer}: {medians[peer] / medians[ours]:.1f}x faster (median), "
                      f"{medians[ours] / medians[peer]:.2f}x its time")
    for ours in ["autocert4j CLI (cold JVM)", "autocert4j CLI (launcher)"]:
        cpu = values(ours, reject, 3)
        if cpu:
            print(f"- {ours}: {statistics.median(cpu):.2f} CPU s per certificate (median); "
                  f"certbot {statistics.median(values('certbot', reject, 3)) if values('certbot', reject, 3) else float('nan'):.2f}")
    print()
