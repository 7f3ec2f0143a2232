"""Run from examples/churn-api: python -m unittest discover -s tests -t ."""
import tempfile
import unittest
from pathlib import Path

import joblib
import pandas as pd

import churn.api as api
from churn.train import main as train_main, train

DATA = Path(__file__).resolve().parent.parent / "data" / "churn.csv"

RISKY = {"tenure_months": 2, "monthly_charges": 110.0, "support_calls": 6,
         "contract": "month-to-month", "internet_service": "fiber",
         "tech_support": "no", "paperless_billing": "yes"}
LOYAL = {"tenure_months": 70, "monthly_charges": 25.0, "support_calls": 0,
         "contract": "two-year", "internet_service": "none",
         "tech_support": "no", "paperless_billing": "no"}


class TrainTest(unittest.TestCase):
    def test_model_beats_chance_on_holdout(self):
        _, metrics = train(pd.read_csv(DATA))
        self.assertEqual(metrics["rows"], 600)
        self.assertGreater(metrics["holdout_roc_auc"], 0.7)

    def test_missing_column_is_reported(self):
        with self.assertRaisesRegex(ValueError, "support_calls"):
            train(pd.read_csv(DATA).drop(columns=["support_calls"]))

    def test_cli_fails_cleanly_on_missing_file(self):
        self.assertEqual(train_main(["--data", "/nonexistent.csv", "--out", "/tmp/x.joblib"]), 1)


class ApiTest(unittest.TestCase):
    def setUp(self):
        from fastapi.testclient import TestClient
        self.tmp = tempfile.TemporaryDirectory()
        self.model_path = Path(self.tmp.name) / "churn.joblib"
        api.MODEL_PATH = self.model_path
        api._bundle = None
        self.client = TestClient(api.app)

    def tearDown(self):
        self.tmp.cleanup()

    def test_unhealthy_until_a_model_exists(self):
        self.assertEqual(self.client.get("/health").status_code, 503)
        self.assertEqual(self.client.post("/predict", json=[RISKY]).status_code, 503)
        self.assertEqual(train_main(["--data", str(DATA), "--out", str(self.model_path)]), 0)
        health = self.client.get("/health")
        self.assertEqual(health.status_code, 200)
        self.assertIn("holdout_roc_auc", health.json()["metrics"])

    def test_predict_ranks_risky_above_loyal(self):
        pipeline, metrics = train(pd.read_csv(DATA))
        joblib.dump({"pipeline": pipeline, "metrics": metrics}, self.model_path)
        r = self.client.post("/predict", json=[RISKY, LOYAL])
        self.assertEqual(r.status_code, 200)
        risky, loyal = r.json()
        self.assertTrue(risky["will_churn"])
        self.assertFalse(loyal["will_churn"])
        self.assertGreater(risky["churn_probability"], loyal["churn_probability"])

    def test_invalid_customer_is_rejected(self):
        bad = dict(RISKY, contract="weekly")
        self.assertEqual(self.client.post("/predict", json=[bad]).status_code, 422)


if __name__ == "__main__":
    unittest.main()
