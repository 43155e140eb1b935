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
