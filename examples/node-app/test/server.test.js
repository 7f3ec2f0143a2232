// Runs against the built output (npm test builds first), with node's own test runner.
const test = require("node:test");
const assert = require("node:assert");
const { createServer, toMilliseconds } = require("../dist/server.js");

test("durations become milliseconds", () => {
  assert.strictEqual(toMilliseconds("2h"), 7200000);
  assert.strictEqual(toMilliseconds(" 1s "), 1000);
  assert.strictEqual(toMilliseconds("soon"), null);
});

test("the server answers /health and /duration", async () => {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${server.address().port}`;
  try {
    const health = await fetch(`${base}/health`);
    assert.strictEqual(health.status, 200);
    assert.deepStrictEqual(await health.json(), { status: "ok" });
    const ok = await fetch(`${base}/duration`, { method: "POST", body: JSON.stringify({ text: "1m" }) });
    assert.deepStrictEqual(await ok.json(), { text: "1m", milliseconds: 60000 });
    const bad = await fetch(`${base}/duration`, { method: "POST", body: "{" });
    assert.strictEqual(bad.status, 400);
    const unknown = await fetch(`${base}/duration`, { method: "POST", body: JSON.stringify({ text: "soon" }) });
    assert.strictEqual(unknown.status, 422);
    assert.strictEqual((await fetch(`${base}/nope`)).status, 404);
  } finally {
    server.close();
  }
});
