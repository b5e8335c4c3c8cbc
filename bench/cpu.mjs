// CPU accounting for the benches (Linux /proc): the CPU time this process and every process it started (wrangler,
// its workerd processes, the sandbox) used, and the machine's, between two readings. It tells a saturated machine
// (every core busy, latency growing with the queue) from a slow path. Elsewhere than Linux, readings are null.
import { readdirSync, readFileSync } from "node:fs";
import { cpus } from "node:os";

/** Clock ticks per second of /proc's times (USER_HZ: 100 on Linux). */
const HZ = 100;

/** Pid, parent pid, short command and user+system ticks of a process, from /proc/<pid>/stat. */
function stat(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    const close = text.lastIndexOf(")");
    const comm = text.slice(text.indexOf("(") + 1, close);
    const fields = text.slice(close + 2).split(" ");
    return { pid: Number(pid), ppid: Number(fields[1]), comm, ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return null;
  }
}

/**
 * The machine's busy, stolen and total ticks (all cores), from /proc/stat. `steal` is the time the hypervisor ran
 * something else while this VM's cores wanted to run (counted in busy): on a shared virtual machine it stalls
 * whatever was running then, the Worker's one thread included.
 */
function machine() {
  const [, ...values] = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/);
  const ticks = values.map(Number);
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
  const total = ticks.reduce((a, b) => a + b, 0);
  return { busy: total - idle, steal: ticks[7] ?? 0, total };
}

/** A reading: this process and its descendants' ticks by pid (with their commands), and the machine's. */
export function cpuReading() {
  if (process.platform !== "linux") return null;
  const all = readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .map(stat)
    .filter(Boolean);
  const children = new Map();
  for (const p of all) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const mine = new Map();
  const visit = (p) => {
    mine.set(p.pid, p);
    for (const child of children.get(p.pid) ?? []) visit(child);
  };
  const self = all.find((p) => p.pid === process.pid);
  if (self) visit(self);
  return { at: performance.now(), processes: mine, machine: machine() };
}

/**
 * CPU used between two readings: seconds per command (this bench's own tree, grouped by command name), their sum,
 * the machine's utilisation (busy share of all cores, other processes included) and the share the host stole.
 */
export function cpuBetween(before, after) {
  if (!before || !after) return null;
  const byCommand = {};
  let sum = 0;
  for (const [pid, p] of after.processes) {
    const ticks = p.ticks - (before.processes.get(pid)?.ticks ?? 0);
    if (ticks <= 0) continue;
    byCommand[p.comm] = Math.round(((byCommand[p.comm] ?? 0) + ticks / HZ) * 100) / 100;
    sum += ticks / HZ;
  }
  const busy = after.machine.busy - before.machine.busy;
  const total = after.machine.total - before.machine.total;
  return {
    seconds: Math.round(sum * 100) / 100,
    byCommand,
    wallSeconds: Math.round((after.at - before.at) / 10) / 100,
    cores: cpus().length,
    machineBusy: total > 0 ? Math.round((busy / total) * 1000) / 1000 : null,
    machineStolen: total > 0 ? Math.round(((after.machine.steal - before.machine.steal) / total) * 1000) / 1000 : null,
  };
}

/** One line for the console: CPU seconds, wall time, the machine's busy share and CPU per `unit` (of `count`). */
export function cpuLine(cpu, count, unit) {
  const per = Math.round((cpu.seconds * 1000) / Math.max(count, 1));
  return `${cpu.seconds} s in ${cpu.wallSeconds} s on ${cpu.cores} cores (machine busy ${Math.round(cpu.machineBusy * 100)} %), ${per} ms per ${unit}: ${JSON.stringify(cpu.byCommand)}`;
}

/**
 * The result row of CPU per item (a diagnostic, no target): whether a run was bound by the machine rather than
 * by what it measures. None without a reading.
 */
export function cpuRows(cpu, count, measure) {
  if (!cpu) return [];
  return [
    {
      measure: `${measure}; machine busy ${Math.round(cpu.machineBusy * 100)} % of ${cpu.cores} cores)`,
      value: Math.round((cpu.seconds * 1000) / Math.max(count, 1)),
      unit: "ms",
    },
  ];
}

/** Where the calibration's work goes, so that no part of it is optimized away. */
let calibrationSink = 0;

/**
 * How fast one core of the machine is right now: the milliseconds a fixed piece of JavaScript work takes in this
 * process (JSON and string hashing, the kind of work a Worker's requests do), the median of five rounds after a
 * warm-up. Taken while the bench's own processes are idle, it tells a slower machine (other tenants, a throttled
 * core) from a slower change: the same code on the same machine gives the same figure, and a higher one is slower.
 */
export function calibrateCpu() {
  const rounds = [];
  for (let round = 0; round < 6; round++) {
    const start = performance.now();
    for (let i = 0; i < 40_000; i++) {
      const text = JSON.stringify({ id: i, name: `client ${i}`, amount: i * 7, tags: ["a", "b", String(i)] });
      const back = JSON.parse(text);
      for (let c = 0; c < text.length; c++) calibrationSink = (calibrationSink * 31 + text.charCodeAt(c) + back.id) | 0;
    }
    if (round > 0) rounds.push(performance.now() - start);
  }
  return Math.round(rounds.sort((a, b) => a - b)[2]);
}
