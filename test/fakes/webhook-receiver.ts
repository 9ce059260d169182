import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Answers one request: by default 200. Returning nothing leaves the request hanging (a receiver that never answers). */
export type Answer = (request: Received, nth: number) => { status: number; headers?: Record<string, string> } | 'hang';

/** A real HTTP receiver on 127.0.0.1 recording every request; `answer` decides each reply (nth: this path's request count, from 1). */
export async function webhookReceiver(answer: Answer = () => ({ status: 200 })) {
  const received: Received[] = [];
  const counts = new Map<string, number>();
  const hanging: ServerResponse[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request = { path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      received.push(request);
      const nth = (counts.get(request.path) ?? 0) + 1;
      counts.set(request.path, nth);
      const reply = answer(request, nth);
      if (reply === 'hang') return void hanging.push(res);
      res.writeHead(reply.status, reply.headers);
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path = '/hook') => `http://127.0.0.1:${port}${path}`,
    port,
    received,
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
