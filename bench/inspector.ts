/**
 * CPU profiles of a running Node process over its inspector (the process is started with
 * `--inspect=127.0.0.1:0`), so that one process can be profiled scenario by scenario without a
 * restart: `Profiler.start` when a scenario begins, `Profiler.stop` (which returns the profile)
 * when it ends or before the process is stopped. The inspector listens on 127.0.0.1 only.
 */
import type { ChildProcess } from 'node:child_process';
import { WebSocket } from 'undici';
import type { CpuProfile } from './profile';

const LISTENING = /Debugger listening on (ws:\/\/127\.0\.0\.1:\d+\/[\w-]+)/;

/** The inspector's WebSocket URL, read from what the process prints on stderr at start. */
export function inspectorUrl(proc: ChildProcess, timeoutMs = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => {
      proc.stderr?.off('data', onData);
      reject(new Error('the process printed no inspector URL'));
    }, timeoutMs);
    const onData = (chunk: Buffer): void => {
      seen = (seen + chunk.toString('utf8')).slice(-4096);
      const match = LISTENING.exec(seen);
      if (!match) return;
      clearTimeout(timer);
      proc.stderr?.off('data', onData);
      resolve(match[1]);
    };
    proc.stderr?.on('data', onData);
  });
}

interface Reply {
  id?: number;
  result?: unknown;
  error?: { message: string };
}

/** One DevTools protocol session; commands are answered in order of their ids. */
class InspectorSession {
  private seq = 0;
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();

  private constructor(private readonly socket: WebSocket) {
    socket.addEventListener('message', (event) => {
      const reply = JSON.parse(String(event.data)) as Reply;
      if (reply.id === undefined) return;
      const waiting = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (reply.error) waiting?.reject(new Error(reply.error.message));
      else waiting?.resolve(reply.result);
    });
    socket.addEventListener('close', () => {
      for (const waiting of this.pending.values()) waiting.reject(new Error('the inspector session closed'));
      this.pending.clear();
    });
  }

  static open(url: string): Promise<InspectorSession> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url);
      socket.addEventListener('open', () => resolve(new InspectorSession(socket)), { once: true });
      socket.addEventListener('error', () => reject(new Error(`cannot open the inspector at ${url}`)), { once: true });
    });
  }

  send<T>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    const id = ++this.seq;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: (value) => resolve(value as T), reject });
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }

  close(): void {
    this.socket.close();
  }
}

/** A CPU profile being taken of one process. */
export class RemoteProfile {
  private constructor(private readonly session: InspectorSession) {}

  /** Starts sampling every `intervalUs` microseconds. */
  static async start(url: string, intervalUs: number): Promise<RemoteProfile> {
    const session = await InspectorSession.open(url);
    await session.send('Profiler.enable');
    await session.send('Profiler.setSamplingInterval', { interval: intervalUs });
    await session.send('Profiler.start');
    return new RemoteProfile(session);
  }

  /** Stops sampling and returns the profile since start. */
  async stop(): Promise<CpuProfile> {
    try {
      const { profile } = await this.session.send<{ profile: CpuProfile }>('Profiler.stop');
      return profile;
    } finally {
      this.session.close();
    }
  }
}
