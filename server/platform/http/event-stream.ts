// Server-sent events (text/event-stream) at the HTTP edge: the route hands over a source
// (subscribe to "something changed", and whether the caller may still listen); this writes
// the stream, a comment every heartbeat, and ends it when the source says so or the client
// goes. Events carry a name only: the client reads what changed through the usual API.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export type EventSourceOf = {
  /** Calls `onEvent` whenever the caller should look again; returns the unsubscribe. */
  subscribe(onEvent: () => void): Promise<() => void>;
  /** Whether the caller may go on listening (checked before each event and at each heartbeat). */
  stillValid(): Promise<boolean>;
};

type StreamOptions = { event: string; heartbeatMs: number };

/**
 * The event streams of one server, as a function that streams a source. A stream stays open
 * as long as its client, and the server's close waits for every open request: with one app
 * open it would never finish (a restart would wait to be killed, skipping every onClose).
 * So they end first (Fastify's preClose); each client comes back in 3 s (`retry`) to a
 * server that runs.
 */
export function eventStreams(app: FastifyInstance) {
  const open = new Set<() => void>();
  app.addHook('preClose', (done) => {
    for (const end of [...open]) end();
    done();
  });
  return (req: FastifyRequest, reply: FastifyReply, source: EventSourceOf, opts: StreamOptions) => streamEvents(req, reply, source, opts, open);
}

async function streamEvents(req: FastifyRequest, reply: FastifyReply, source: EventSourceOf, opts: StreamOptions, open: Set<() => void>): Promise<void> {
  let closed = false;
  let unsubscribe: (() => void) | null = null;
  const send = (chunk: string) => {
    if (!closed) reply.raw.write(chunk);
  };
  const whenValid = (then: () => void) =>
    void source
      .stillValid()
      .catch(() => false)
      .then((ok) => (ok ? then() : close()));
  const timer = setInterval(() => whenValid(() => send(': still here\n\n')), opts.heartbeatMs);
  timer.unref();
  function close() {
    if (closed) return;
    closed = true;
    open.delete(close);
    clearInterval(timer);
    unsubscribe?.();
    reply.raw.end();
  }

  open.add(close);
  reply.hijack();
  reply.raw.writeHead(200, {
    ...(reply.getHeaders() as Record<string, string>),
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  req.raw.on('close', close);
  try {
    unsubscribe = await source.subscribe(() => whenValid(() => send(`event: ${opts.event}\ndata: {}\n\n`)));
  } catch {
    // no way to hear changes now (the listening connection is down): end the stream; the browser comes back in 3 s
    send('retry: 3000\n\n');
    return close();
  }
  if (closed) unsubscribe();
  // the browser reconnects after 3 s if the stream drops
  send('retry: 3000\n\n');
}
