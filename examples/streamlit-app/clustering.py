"""The computation behind the app, kept apart from Streamlit so it can be tested."""
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.datasets import make_blobs
from sklearn.metrics import silhouette_score


def make_points(n_points, true_centers, spread, seed):
    x, _ = make_blobs(n_samples=n_points, centers=true_centers,
                      cluster_std=spread, random_state=seed)
    return pd.DataFrame(x, columns=["x", "y"])


def cluster(points, k, seed):
    """Fit k-means; return the points labelled by cluster and summary numbers."""
    model = KMeans(n_clusters=k, n_init=10, random_state=seed).fit(points[["x", "y"]])
    labelled = points.assign(cluster=model.labels_.astype(str))
    silhouette = float(silhouette_score(points[["x", "y"]], model.labels_)) if k > 1 else float("nan")
    return labelled, float(model.inertia_), silhouette


def elbow(points, k_max, seed):
    """Inertia for k = 1..k_max, the usual way to eyeball a good k."""
    rows = []
    for k in range(1, k_max + 1):
        inertia = KMeans(n_clusters=k, n_init=10, random_state=seed).fit(points[["x", "y"]]).inertia_
        rows.append({"k": k, "inertia": float(inertia)})
    return pd.DataFrame(rows).set_index("k")


def best_k_by_silhouette(points, k_max, seed):
    scores = {k: cluster(points, k, seed)[2] for k in range(2, k_max + 1)}
    return max(scores, key=scores.get), scores


