"""K-means playground: generate 2-D blobs, pick k, see the clusters and the elbow curve."""
import streamlit as st

from clustering import best_k_by_silhouette, cluster, elbow, make_points

st.set_page_config(page_title="k-means playground", layout="wide")
st.title("k-means playground")

with st.sidebar:
    n_points = st.slider("points", 50, 2000, 400, step=50)
    true_centers = st.slider("true centers", 1, 8, 4)
    spread = st.slider("spread", 0.2, 3.0, 0.8, step=0.1)
    k = st.slider("k (clusters to fit)", 1, 10, 4)
    seed = st.number_input("random seed", value=7, step=1)

points = make_points(n_points, true_centers, spread, int(seed))
labelled, inertia, silhouette = cluster(points, k, int(seed))
suggested, _ = best_k_by_silhouette(points, 8, int(seed))

left, middle, right = st.columns(3)
left.metric("inertia", f"{inertia:,.1f}")
middle.metric("silhouette", "n/a" if k == 1 else f"{silhouette:.3f}")
right.metric("best k by silhouette", suggested)

st.scatter_chart(labelled, x="x", y="y", color="cluster")
st.subheader("Elbow curve")
st.line_chart(elbow(points, 10, int(seed)))
