import sys
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(HERE))

from clustering import best_k_by_silhouette, cluster, elbow, make_points  # noqa: E402


class ClusteringTest(unittest.TestCase):
    def test_silhouette_recovers_the_true_number_of_blobs(self):
        points = make_points(400, 4, 0.6, seed=3)
        best, _ = best_k_by_silhouette(points, 8, seed=3)
        self.assertEqual(best, 4)

    def test_inertia_falls_as_k_grows(self):
        curve = elbow(make_points(300, 3, 1.0, seed=1), 6, seed=1)["inertia"].tolist()
        self.assertEqual(curve, sorted(curve, reverse=True))

    def test_every_point_gets_one_of_k_labels(self):
        labelled, _, _ = cluster(make_points(200, 3, 1.0, seed=2), 3, seed=2)
        self.assertEqual(len(labelled), 200)
        self.assertEqual(set(labelled["cluster"]), {"0", "1", "2"})


class AppTest(unittest.TestCase):
    def test_app_renders_metrics_without_errors(self):
        from streamlit.testing.v1 import AppTest as StAppTest

        at = StAppTest.from_file(str(HERE / "app.py"), default_timeout=60).run()
        self.assertFalse(at.exception, at.exception)
        labels = [m.label for m in at.metric]
        self.assertEqual(labels, ["inertia", "silhouette", "best k by silhouette"])
        self.assertEqual(at.metric[2].value, "4")


if __name__ == "__main__":
    unittest.main()
