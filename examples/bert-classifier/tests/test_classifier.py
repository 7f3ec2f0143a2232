import sys
import tempfile
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "app"))

import classifier  # noqa: E402


class ClassifierTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.model = classifier.train()

    def test_unseen_sentences_get_the_right_label(self):
        results = classifier.classify(self.model, [
            "Multi-stage builds are much cleaner, I love it!",
            "The deployment was a disaster and everything broke.",
        ])
        self.assertEqual([r["label"] for r in results], ["POSITIVE", "NEGATIVE"])
        self.assertTrue(all(0.5 < r["score"] <= 1.0 for r in results))

    def test_model_round_trips_through_joblib(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "m.joblib"
            classifier.save(self.model, path)
            loaded = classifier.load(path)
        text = ["The image is tiny and fast"]
        self.assertEqual(classifier.classify(loaded, text), classifier.classify(self.model, text))


class ServerTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "m.joblib"
            classifier.save(classifier.train(), path)
            classifier.MODEL_PATH = path
            import server
            cls.client = server.app.test_client()

    def test_classify_one_and_many(self):
        one = self.client.post("/classify", json={"text": "What a wonderful release"})
        self.assertEqual(one.status_code, 200)
        self.assertEqual(one.json[0]["label"], "POSITIVE")
        many = self.client.post("/classify", json={"texts": ["awful and broken", "great and fast"]})
        self.assertEqual([r["label"] for r in many.json], ["NEGATIVE", "POSITIVE"])

    def test_rejects_empty_input(self):
        self.assertEqual(self.client.post("/classify", json={}).status_code, 400)
        self.assertEqual(self.client.post("/classify", json={"text": "  "}).status_code, 400)


if __name__ == "__main__":
    unittest.main()
