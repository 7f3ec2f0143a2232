"""Column lists shared by training and serving, so the two cannot drift."""
import os
from pathlib import Path

NUMERIC = ["tenure_months", "monthly_charges", "support_calls"]
CATEGORICAL = ["contract", "internet_service", "tech_support", "paperless_billing"]
TARGET = "churn"

MODEL_PATH = Path(os.environ.get("MODEL_PATH", "models/churn.joblib"))
DATA_PATH = Path(os.environ.get("DATA_PATH", "data/churn.csv"))
