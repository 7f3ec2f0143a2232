"""A small logistic-regression model for the Iris "is it setosa?" question.

The weights are fitted at import time with plain gradient descent on the
bundled measurements, so the service has a real model without shipping a
pickled artefact or downloading anything.
"""
import csv
from pathlib import Path

import numpy as np

DATA = Path(__file__).with_name("iris.csv")
FEATURES = ("sepal_length", "sepal_width", "petal_length", "petal_width")


def _load():
    with DATA.open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    x = np.array([[float(r[f]) for f in FEATURES] for r in rows])
    y = np.array([1.0 if r["species"] == "setosa" else 0.0 for r in rows])
    return x, y


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


class SetosaModel:
    def __init__(self, epochs=2000, lr=0.1):
        x, y = _load()
        self.mean = x.mean(axis=0)
        self.std = x.std(axis=0)
        xs = (x - self.mean) / self.std
        self.w = np.zeros(xs.shape[1])
        self.b = 0.0
        for _ in range(epochs):
            p = _sigmoid(xs @ self.w + self.b)
            grad = p - y
            self.w -= lr * xs.T @ grad / len(y)
            self.b -= lr * grad.mean()
        self.accuracy = float(((self.predict_proba(x) >= 0.5) == (y == 1.0)).mean())

    def predict_proba(self, x):
        xs = (np.asarray(x, dtype=float) - self.mean) / self.std
        return _sigmoid(xs @ self.w + self.b)
