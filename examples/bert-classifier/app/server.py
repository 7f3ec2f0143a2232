"""HTTP API: POST /classify {"text": "..."} or {"texts": [...]}, GET /health."""
import os

from flask import Flask, jsonify, request

import classifier

app = Flask(__name__)
model = classifier.load()


@app.get("/health")
def health():
    return jsonify(status="ok")


@app.post("/classify")
def classify():
    body = request.get_json(silent=True) or {}
    texts = body.get("texts", [body["text"]] if "text" in body else None)
    if not texts or not all(isinstance(t, str) and t.strip() for t in texts):
        return jsonify(error="send {\"text\": \"...\"} or {\"texts\": [\"...\", ...]}"), 400
    return jsonify(classifier.classify(model, texts))


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=int(os.environ.get("PORT", "8080")))
