"""Train the churn model: python -m churn.train [--data CSV] [--out MODEL]."""
import argparse
import json
import sys
from pathlib import Path

import joblib
import pandas as pd
import sklearn
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from churn.features import CATEGORICAL, DATA_PATH, MODEL_PATH, NUMERIC, TARGET


def build_pipeline():
    pre = ColumnTransformer([
        ("num", StandardScaler(), NUMERIC),
        ("cat", OneHotEncoder(handle_unknown="ignore"), CATEGORICAL),
    ])
    return Pipeline([("features", pre), ("model", LogisticRegression(max_iter=1000))])


def train(frame, seed=0):
    missing = [c for c in NUMERIC + CATEGORICAL + [TARGET] if c not in frame.columns]
    if missing:
        raise ValueError(f"training data lacks columns: {', '.join(missing)}")
    x = frame[NUMERIC + CATEGORICAL]
    y = (frame[TARGET] == "yes").astype(int)
    x_train, x_test, y_train, y_test = train_test_split(
        x, y, test_size=0.25, random_state=seed, stratify=y)
    holdout = build_pipeline().fit(x_train, y_train)
    proba = holdout.predict_proba(x_test)[:, 1]
    metrics = {
        "rows": int(len(frame)),
        "churn_rate": round(float(y.mean()), 3),
        "holdout_accuracy": round(float(accuracy_score(y_test, proba >= 0.5)), 3),
        "holdout_roc_auc": round(float(roc_auc_score(y_test, proba)), 3),
    }
    # The shipped model sees every row; the holdout numbers describe its recipe.
    final = build_pipeline().fit(x, y)
    return final, metrics


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DATA_PATH)
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    args = parser.parse_args(argv)
    try:
        frame = pd.read_csv(args.data)
        model, metrics = train(frame)
    except (OSError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    joblib.dump({"pipeline": model, "metrics": metrics,
                 "sklearn_version": sklearn.__version__}, args.out)
    print(json.dumps({"model": str(args.out), **metrics}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
