import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';

/** The path of a request refused while its head was read (the query may be what was too long). */
function requestPathOf(err: NodeJS.ErrnoException & { rawPacket?: Buffer }): string {
  const line = /^[A-Z]+ ([^ ?\r\n]{1,2000})/.exec(err.rawPacket?.subarray(0, 2100).toString('latin1') ?? '');
  return line?.[1] ?? '/';
}

/**
 * The HTTP server's own edges. Requests Node refuses before Express sees them get a
 * problem+json answer where the client can act on it (a 2,000-id export URL is told to use
 * the POST form), Node's bare answers otherwise. Idle connections stay open longer than
 * clients (undici: 4 s) and load balancers (60 s) keep theirs, so the client always closes
 * an idle connection first and a request never lands on one the server is closing. The 431 is
 * written here by hand: Node answers it before Express, so api/problem-json.ts never sees it.
 */
export function hardenHttpServer(server: Server): Server {
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (err.code === 'ECONNRESET' || !socket.writable) return socket.destroy();
    if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT')
      return socket.end('HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n');
    if (err.code !== 'HPE_HEADER_OVERFLOW')
      return socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    const body = JSON.stringify({
      type: 'urn:herald:problem:headers_too_large',
      title: 'The request line or headers are too large',
      status: 431,
      code: 'headers_too_large',
      instance: requestPathOf(err),
      detail:
        'The URL or headers are over the server limit: send long lists in a request body (e.g. POST …/invites/export {"ids": […]})',
    });
    socket.end(
      'HTTP/1.1 431 Request Header Fields Too Large\r\n' +
        `Content-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
  return server;
}
