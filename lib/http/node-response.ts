import type { ServerResponse } from "node:http";

/** Send a web Response through Node's response, with `headers` (next.config.js's security headers) under its own. */
export async function sendWebResponse(res: ServerResponse, response: Response, headers: Readonly<Record<string, string>>): Promise<void> {
  const body = Buffer.from(await response.arrayBuffer());
  res.writeHead(response.status, { ...headers, ...Object.fromEntries(response.headers), "content-length": String(body.length) });
  res.end(body);
}
