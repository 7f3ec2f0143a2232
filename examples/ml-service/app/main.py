"""HTTP API: GET /health, POST /predict with {"features": [sl, sw, pl, pw]}."""
from flask import Flask, jsonify, request

from app.model import FEATURES, SetosaModel

app = Flask(__name__)
model = SetosaModel()


@app.get("/health")
def health():
    return jsonify(status="ok", train_accuracy=model.accuracy)


@app.post("/predict")
def predict():
    body = request.get_json(silent=True) or {}
    features = body.get("features")
    if not isinstance(features, list) or len(features) != len(FEATURES):
        return jsonify(error=f"expected 'features': list of {len(FEATURES)} numbers {FEATURES}"), 400
    try:
        p = float(model.predict_proba([float(v) for v in features]))
    except (TypeError, ValueError):
        return jsonify(error="features must be numbers"), 400
    return jsonify(setosa_probability=p, label="setosa" if p >= 0.5 else "not-setosa")


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=8000)
