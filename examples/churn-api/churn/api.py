"""Churn prediction API: uvicorn churn.api:app --port 8000."""
from typing import Literal

import joblib
import pandas as pd
from fastapi import FastAPI, HTTPException
from pydantic import BaseModel, Field

from churn.features import CATEGORICAL, MODEL_PATH, NUMERIC


class Customer(BaseModel):
    tenure_months: int = Field(ge=0, le=600)
    monthly_charges: float = Field(ge=0)
    support_calls: int = Field(ge=0)
    contract: Literal["month-to-month", "one-year", "two-year"]
    internet_service: Literal["dsl", "fiber", "none"]
    tech_support: Literal["yes", "no"]
    paperless_billing: Literal["yes", "no"]


class Prediction(BaseModel):
    churn_probability: float
    will_churn: bool


app = FastAPI(title="churn-api")
_bundle = None


def _model():
    """Load lazily so the API starts (and reports unhealthy) before training has run."""
    global _bundle
    if _bundle is None and MODEL_PATH.exists():
        _bundle = joblib.load(MODEL_PATH)
    return _bundle


@app.get("/health")
def health():
    bundle = _model()
    if bundle is None:
        raise HTTPException(503, f"no model at {MODEL_PATH}; run the training image first")
    return {"status": "ok", "model": str(MODEL_PATH), "metrics": bundle["metrics"]}


@app.post("/predict", response_model=list[Prediction])
def predict(customers: list[Customer]):
    bundle = _model()
    if bundle is None:
        raise HTTPException(503, f"no model at {MODEL_PATH}; run the training image first")
    if not customers:
        raise HTTPException(422, "send at least one customer")
    frame = pd.DataFrame([c.model_dump() for c in customers])[NUMERIC + CATEGORICAL]
    proba = bundle["pipeline"].predict_proba(frame)[:, 1]
    return [Prediction(churn_probability=round(float(p), 4), will_churn=bool(p >= 0.5)) for p in proba]
