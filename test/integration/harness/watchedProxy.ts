/**
 * A pass-through HTTP proxy in front of a real server, for tests that must see what the extension
 * sends: every request is recorded (path, and whether the client went away before its answer),
 * and forwarding can be held until the test releases it, so a request stays in flight on purpose.
 * It answers nothing itself: each answer is the real server's.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  path: string;
  /** The client closed the connection before the answer was complete. */
  aborted: boolean;
  answered: boolean;
}

export interface WatchedProxy {
  url: string;
  requests: SeenRequest[];
  /** Requests arriving from now wait until release(). */
  hold(): void;
  release(): void;
  /** Resolves when the next request arrives. */
  nextRequest(): Promise<SeenRequest>;
  close(): Promise<void>;
}

export async function startWatchedProxy(target: string): Promise<WatchedProxy> {
  const upstream = new URL(target);
  const requests: SeenRequest[] = [];
  let held: Promise<void> | undefined;
  let releaseHeld: (() => void) | undefined;
  let waiting: ((r: SeenRequest) => void)[] = [];
  const server = http.createServer((req, res) => {
    const seen: SeenRequest = { path: req.url ?? '', aborted: false, answered: false };
    requests.push(seen);
    const wake = waiting;
    waiting = [];
    wake.forEach((w) => w(seen));
    res.on('close', () => {
      if (!res.writableFinished) seen.aborted = true;
    });
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (held ?? Promise.resolve()).then(() => {
        if (seen.aborted || res.destroyed) return;
        const out = http.request(
          { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
            answer.on('end', () => (seen.answered = true));
          },
        );
        out.on('error', () => res.destroy());
        res.on('close', () => out.destroy());
        out.end(Buffer.concat(chunks));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    hold() {
      held ??= new Promise<void>((r) => (releaseHeld = r));
    },
    release() {
      releaseHeld?.();
      held = undefined;
    },
    nextRequest: () => new Promise<SeenRequest>((r) => waiting.push(r)),
    close: () =>
      new Promise<void>((resolve) => {
        releaseHeld?.();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
