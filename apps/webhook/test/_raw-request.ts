// One raw HTTP exchange over a socket, for the tests of what a client library would not send
// (conflicting length headers, a body cut off, chunked bodies past the limit).
import { connect } from "node:net";

/**
 * Sends `head` and then `chunks` as they are, and resolves with the status line of the answer
 * ("" if the socket just closed); with `hangUp`, the client closes 50 ms after sending.
 */
export function rawRequest(
  port: number,
  head: string,
  chunks: string[],
  hangUp = false,
): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    let answer = "";
    socket.on("data", (data) => {
      answer += data.toString("latin1");
      if (answer.includes("\r\n")) {
        resolve(answer.slice(0, answer.indexOf("\r\n")));
        socket.destroy();
      }
    });
    socket.on("error", () => resolve(answer.split("\r\n")[0] ?? ""));
    socket.on("close", () => resolve(answer.split("\r\n")[0] ?? ""));
    socket.write(head);
    for (const chunk of chunks) socket.write(chunk);
    if (hangUp) setTimeout(() => socket.destroy(), 50);
  });
}

/** One piece of a chunked body. */
export function chunk(text: string): string {
  return `${text.length.toString(16)}\r\n${text}\r\n`;
}

/**
 * The status lines a server answers to three pushes of 150,000 bytes, for a limit under that:
 * by Content-Length (the body sent too unless `withoutBody`), chunked in two pieces, and with
 * both length headers (which Node's parser refuses before the app: a request-smuggling guard).
 */
export async function overLimitAnswers(
  port: number,
  options: { withoutBody?: boolean } = {},
): Promise<{ contentLength: string; chunked: string; bothHeaders: string }> {
  const start =
    "POST /v1/partners/shop/pushes HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n";
  const big = "x".repeat(150_000);
  return {
    contentLength: await rawRequest(
      port,
      `${start}Content-Length: ${big.length}\r\n\r\n`,
      options.withoutBody ? [] : [big],
    ),
    chunked: await rawRequest(port, `${start}Transfer-Encoding: chunked\r\n\r\n`, [
      chunk(big.slice(0, 60_000)),
      chunk(big.slice(60_000)),
      "0\r\n\r\n",
    ]),
    bothHeaders: await rawRequest(
      port,
      `${start}Content-Length: 10\r\nTransfer-Encoding: chunked\r\n\r\n`,
      [chunk(big), "0\r\n\r\n"],
    ),
  };
}
