/**
 * A port for a server a spec starts as a child process (a built server, PostgreSQL, Redis), at random
 * from 20000–32767: below Linux's range for outgoing connections (`ip_local_port_range`, 32768–60999),
 * where the specs' own client sockets (PostgreSQL pools of three workers) took ports the old picks from
 * 20000–40000 landed on (`listen EADDRINUSE` in the embedded-database spec). Servers started in-process
 * listen on port 0 instead.
 */
export function serverPort(): number {
  return 20_000 + Math.floor(Math.random() * 12_768);
}
