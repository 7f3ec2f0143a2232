// A tiny HTTP service: GET /health and POST /duration (a human duration such as "2h" in
// milliseconds, through the `ms` runtime dependency). TypeScript is only needed to build.
declare const require: { (name: string): any; main: unknown };
declare const module: { exports: any; [k: string]: any };
declare const process: { env: Record<string, string | undefined> };

const http = require("http");
const ms: (value: string) => number | undefined = require("ms");

export function toMilliseconds(text: string): number | null {
  const value = ms(text.trim());
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

export function createServer() {
  return http.createServer((req: any, res: any) => {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { "Content-Type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (req.method === "GET" && req.url === "/health") {
      return reply(200, { status: "ok" });
    }
    if (req.method === "POST" && req.url === "/duration") {
      let body = "";
      req.on("data", (chunk: string) => (body += chunk));
      req.on("end", () => {
        let parsed: { text?: unknown };
        try {
          parsed = JSON.parse(body || "{}");
        } catch {
          return reply(400, { error: "body is not JSON" });
        }
        if (typeof parsed.text !== "string") {
          return reply(400, { error: "expected {\"text\": \"2h\"}" });
        }
        const millis = toMilliseconds(parsed.text);
        if (millis === null) {
          return reply(422, { error: `not a duration: ${parsed.text}` });
        }
        return reply(200, { text: parsed.text, milliseconds: millis });
      });
      return;
    }
    reply(404, { error: "not found" });
  });
}

if (require.main === module) {
  const port = Number(process.env.PORT || 3000);
  createServer().listen(port, "0.0.0.0", () => {
    console.log(`listening on ${port}`);
  });
}
