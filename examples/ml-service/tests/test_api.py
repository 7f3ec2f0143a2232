"""Run with: python -m unittest discover -s tests -t . (from examples/ml-service)."""
import unittest

from app.main import app


class ApiTest(unittest.TestCase):
    def setUp(self):
        self.client = app.test_client()

    def test_health_reports_trained_model(self):
        r = self.client.get("/health")
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r.json["status"], "ok")
        self.assertGreater(r.json["train_accuracy"], 0.95)

    def test_predict_separates_setosa_from_virginica(self):
        setosa = self.client.post("/predict", json={"features": [5.0, 3.4, 1.5, 0.2]})
        virginica = self.client.post("/predict", json={"features": [6.7, 3.0, 5.2, 2.3]})
        self.assertEqual(setosa.json["label"], "setosa")
        self.assertEqual(virginica.json["label"], "not-setosa")

    def test_predict_rejects_bad_input(self):
        self.assertEqual(self.client.post("/predict", json={"features": [1, 2]}).status_code, 400)
        self.assertEqual(self.client.post("/predict", json={"features": ["a", 1, 2, 3]}).status_code, 400)
        self.assertEqual(self.client.post("/predict", data="nope").status_code, 400)


if __name__ == "__main__":
    unittest.main()
