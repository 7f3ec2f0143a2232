"""Sentiment classifier: TF-IDF word and character n-grams + logistic regression.

It stands in for the BERT model of the original write-up, which cannot be
downloaded here; the output mimics a transformers pipeline:
[{'label': 'POSITIVE', 'score': 0.97}].
"""
import csv
import os
from pathlib import Path

import joblib
from sklearn.linear_model import LogisticRegression
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion, make_pipeline

ROOT = Path(__file__).resolve().parent.parent
DATA_PATH = ROOT / "data" / "sentiment.csv"
MODEL_PATH = Path(os.environ.get("MODEL_PATH", ROOT / "model" / "sentiment.joblib"))


def load_dataset(path=DATA_PATH):
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return [r["text"] for r in rows], [r["label"] for r in rows]


def build_pipeline():
    features = FeatureUnion([
        ("words", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)),
        ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)),
    ])
    return make_pipeline(features, LogisticRegression(C=10.0, max_iter=1000))


def train(path=DATA_PATH):
    texts, labels = load_dataset(path)
    return build_pipeline().fit(texts, labels)


def save(model, path=None):
    path = Path(path or MODEL_PATH)
    path.parent.mkdir(parents=True, exist_ok=True)
    joblib.dump(model, path)


def load(path=None):
    path = Path(path or MODEL_PATH)
    if not path.exists():
        raise SystemExit(f"model not found at {path}; run `python app/train.py` first")
    return joblib.load(path)


def classify(model, texts):
    """Return one {'label', 'score'} dict per input text."""
    probabilities = model.predict_proba(texts)
    classes = model.classes_
    out = []
    for row in probabilities:
        best = row.argmax()
        out.append({"label": str(classes[best]), "score": float(row[best])})
    return out
